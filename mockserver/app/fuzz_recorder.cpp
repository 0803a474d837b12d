// Recording cases as they finish (any order), and running one case on a worker.
#include <algorithm>
#include <iostream>

#include "app/fuzz_campaign.hpp"
#include "fuzz/case_scenario.hpp"

namespace exosim::app {

namespace fs = std::filesystem;

Recorder::Recorder(const fs::path& out, std::uint64_t count) : jsonl_(out / "cases.jsonl", std::ios::binary), count_(count) {}

bool Recorder::record(CaseRecord r) {
    std::lock_guard lock(mutex_);
    bool fresh = false;
    jsonl_ << case_json_line(r) << std::flush;
    if (r.fault) {
        auto it = std::find_if(findings_.begin(), findings_.end(), [&](const FindingRecord& f) { return f.signature == r.signature; });
        if (it == findings_.end()) {
            std::cout << "[" << cases_.size() + 1 << "/" << count_ << "] " << r.id << " " << r.signature << " (new)" << std::endl;
            findings_.push_back({r.signature, *r.fault, r, 1, false, {}, 0, {}});
        fresh = true;
        } else {
            ++it->hits;
        }
    }
    if (!r.run.error.empty()) std::cout << "[" << cases_.size() + 1 << "] " << r.id << " harness error: " << r.run.error << std::endl;
    cases_.push_back(std::move(r));
    if (cases_.size() % 100 == 0) std::cout << "  ... " << cases_.size() << " cases, " << findings_.size() << " findings" << std::endl;
    return fresh;
}

CaseRecord run_case(FuzzWorker& worker, const fuzz::FuzzCase& c, const FuzzClientOptions& o) {
    CaseRecord r{c, fuzz::format_case_id(c.id), {}, {}, {}, {}};
    auto s = std::make_shared<const scenario::Scenario>(fuzz::case_scenario(c, o.endpoint));
    r.scenario_id = s->id;
    r.run = worker.run(s);
    r.fault = r.run.error.empty() ? fuzz::judge(r.run.observation) : std::nullopt;
    if (r.fault) r.signature = fuzz::signature(*r.fault, c.anomalies);
    return r;
}

}  // namespace exosim::app
