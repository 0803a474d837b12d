// Findings: confirm by replay, minimise the reply script while the signature holds, write the
// finding's directory (reproducer scenario, original case, transcript, stderr, finding.json).
#include <fstream>
#include <iostream>

#include <boost/json.hpp>

#include "app/fuzz_campaign.hpp"
#include "fuzz/case_scenario.hpp"
#include "fuzz/case_text.hpp"
#include "fuzz/minimise.hpp"

namespace exosim::app {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

bool write_file(const fs::path& p, const std::string& text) {
    std::ofstream f(p, std::ios::binary);
    f << text;
    return static_cast<bool>(f);
}

// Runs `rules` as the finding's case and tells whether the same signature shows.
bool shows(FuzzWorker& worker, const FindingRecord& f, const std::vector<scenario::Rule>& rules, const FuzzClientOptions& o) {
    auto s = std::make_shared<const scenario::Scenario>(fuzz::case_scenario(f.first.fuzz_case, rules, o.endpoint));
    const CaseRun run = worker.run(s);
    const auto fault = fuzz::judge(run.observation);
    return fault && fuzz::signature(*fault, f.first.fuzz_case.anomalies) == f.signature;
}

std::string reproducer_comment(const FindingRecord& f, bool minimal) {
    return "exosim fuzz-client " + std::string(minimal ? "minimal reproducer" : "original case") + " for\n" + f.signature +
           "\ncase " + f.first.id + "\nreplay: exosim certify --scenario THIS_FILE --client '...'";
}

std::string finding_json(const FindingRecord& f) {
    json::array frames;
    for (const auto& fr : f.fault.frames) frames.emplace_back(fr);
    json::object o{{"signature", f.signature}, {"oracle", f.fault.oracle}, {"detail", f.fault.detail}, {"frames", std::move(frames)},
                   {"first_case", f.first.id}, {"hits", f.hits}, {"reproduced", f.reproduced},
                   {"minimise_runs", f.minimise_runs}, {"reproducer", "reproducer.yaml"},
                   {"window", json::array(f.first.window.begin(), f.first.window.end())},
                   {"confirmed", f.first.confirmed}, {"confirm_runs", f.first.confirm_runs}};
    return json::serialize(o) + "\n";
}

void write_finding(FindingRecord& f, std::size_t n, const FuzzClientOptions& o) {
    f.dir = o.out / "findings" / ((n < 10 ? "00" : n < 100 ? "0" : "") + std::to_string(n) + "-" + f.fault.oracle);
    fs::create_directories(f.dir);
    scenario::Scenario minimal = fuzz::case_scenario(f.first.fuzz_case, f.minimal, o.endpoint);
    minimal.id += "-min";
    write_file(f.dir / "reproducer.yaml", fuzz::scenario_yaml(minimal, reproducer_comment(f, true)));
    write_file(f.dir / "case.yaml", fuzz::scenario_yaml(fuzz::case_scenario(f.first.fuzz_case, o.endpoint), reproducer_comment(f, false)));
    write_file(f.dir / "transcript.txt", f.first.run.transcript);
    write_file(f.dir / "stderr.txt", f.first.run.observation.stderr_tail);
    write_file(f.dir / "finding.json", finding_json(f));
    std::string before;
    for (const std::string& id : f.first.window) before += id + "\n";
    if (!before.empty()) write_file(f.dir / "cases_before.txt", before);  // replay them in order with --case
}

}  // namespace

void settle_findings(std::vector<FindingRecord>& findings, FuzzWorker& worker, const FuzzClientOptions& o) {
    std::size_t n = 0;
    for (FindingRecord& f : findings) {
        f.minimal = fuzz::case_rules(f.first.fuzz_case);
        // A device's finding was back-searched and confirmed instead (fuzz_device.cpp).
        f.reproduced = is_device(o) && f.first.confirmed > 0;
        if (o.minimise_budget > 0 && !is_device(o)) {
            f.reproduced = shows(worker, f, f.minimal, o);
            if (f.reproduced) {
                const fuzz::Minimised m = fuzz::minimise_script(
                    f.minimal, [&](const std::vector<scenario::Rule>& r) { return shows(worker, f, r, o); }, o.minimise_budget);
                f.minimal = m.rules;
                f.minimise_runs = m.runs;
            }
        }
        write_finding(f, ++n, o);
        std::cout << "finding " << n << ": " << f.signature << " (" << f.hits << " case" << (f.hits == 1 ? "" : "s")
                  << (f.first.confirm_runs ? ", window of " + std::to_string(f.first.window.size()) + ", confirmed " +
                                                 std::to_string(f.first.confirmed) + "/" + std::to_string(f.first.confirm_runs)
                      : f.reproduced ? ", reproduced" : o.minimise_budget && !is_device(o) ? ", NOT reproduced on replay" : "")
                  << (f.minimise_runs ? ", minimised in " + std::to_string(f.minimise_runs) + " runs" : "") << ")\n    "
                  << (f.dir / "reproducer.yaml").string() << std::endl;
    }
}

}  // namespace exosim::app
