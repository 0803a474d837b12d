// `exosim fuzz-client`: plan the cases, list or run them on `--jobs` workers, record, settle the
// findings, write the reports.
#include "app/fuzz_client.hpp"

#include <fstream>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <numeric>
#include <random>

#include "app/certify_server.hpp"
#include "app/cli.hpp"
#include "app/fuzz_campaign.hpp"
#include "fuzz/anomaly.hpp"
#include "fuzz/case_scenario.hpp"
#include "fuzz/case_text.hpp"
#include "harness/job_pool.hpp"
#include "transport/server.hpp"

namespace exosim::app {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

// Random mode with neither --cases nor --minutes.
constexpr std::uint64_t default_random_cases = 100;
// --minutes with no --cases: the queue's length (8 MB of indices; at the harness's ~1,000 cases/s
// against a client that exits at once, 16 minutes; real clients take 20-50 ms a case).
constexpr std::uint64_t unbounded_cases = 1'000'000;

// Which cases a run makes, in order: case k of the run is plan.at(k).
struct Plan {
    std::uint64_t seed = 0;
    std::vector<fuzz::Anomaly> pairs;     // the selection
    std::vector<std::uint64_t> indices;   // catalogue: indices into catalogue_table()
    std::optional<fuzz::FuzzCase> single; // --case
    std::uint64_t count = 0;

    fuzz::FuzzCase at(std::uint64_t k, const FuzzClientOptions& o) const {
        if (single) return *single;
        if (o.mode == fuzz::Mode::catalogue) return *fuzz::catalogue_case(seed, indices[k]);
        return fuzz::random_case(seed, k, o.depth, pairs);
    }
};

std::uint64_t default_seed() {
    std::random_device rd;  // only to choose a seed; it is printed, so the run can be repeated
    return (static_cast<std::uint64_t>(rd()) << 32) | rd();
}

// Fisher-Yates with std::mt19937_64 and a modulo (no distribution: the same order on every library).
void shuffle(std::vector<std::uint64_t>& v, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng() % i]);
}

Plan make_plan(const FuzzClientOptions& o) {
    Plan p;
    p.pairs = fuzz::selection(o.stages, o.anomalies);
    if (p.pairs.empty()) throw UsageError("--stages and --anomalies select no (stage, class) pair");
    if (o.case_id) {
        std::string error;
        const auto id = fuzz::parse_case_id(*o.case_id, error);
        std::optional<fuzz::FuzzCase> c = id ? fuzz::case_for(*id, p.pairs, error) : std::nullopt;
        if (!c) throw UsageError("--case " + *o.case_id + ": " + error);
        p.seed = c->id.seed;
        p.single = std::move(c);
        p.count = 1;
        return p;
    }
    p.seed = o.seed ? *o.seed : default_seed();
    if (o.mode == fuzz::Mode::catalogue) {
        const auto& table = fuzz::catalogue_table();
        for (std::uint64_t i = 0; i < table.size(); ++i)
            if (std::find(p.pairs.begin(), p.pairs.end(), table[i]) != p.pairs.end()) p.indices.push_back(i);
        // A time-bounded catalogue run takes the table in a seeded shuffle, so the cut-off leaves
        // out pairs spread over every class and stage rather than the last classes entirely.
        if (o.minutes) shuffle(p.indices, p.seed);
        p.count = std::min<std::uint64_t>(p.indices.size(), o.cases.value_or(p.indices.size()));
    } else {
        p.count = o.cases.value_or(o.minutes ? unbounded_cases : default_random_cases);
    }
    return p;
}

void list_cases(const Plan& p, const FuzzClientOptions& o) {
    for (std::uint64_t k = 0; k < p.count; ++k) {
        const fuzz::FuzzCase c = p.at(k, o);
        std::cout << fuzz::format_case_id(c.id) << "\n";
        const auto rules = fuzz::case_rules(c);
        for (std::size_t i = 0; i < rules.size(); ++i) {
            const std::string bytes = fuzz::action_bytes(rules[i].action);
            const std::string shape = fuzz::action_shape(rules[i].action);
            std::cout << "  stage " << fuzz::stage_name(c.anomalies[i].stage) << "  anomaly " << fuzz::anomaly_classes()[c.anomalies[i].cls].name
                      << "  " << bytes.size() << " octets" << (shape.empty() ? "" : "  " + shape) << "\n    \""
                      << fuzz::escaped(bytes, 400) << "\"\n";
        }
    }
}

bool write_text(const fs::path& p, const std::string& text) {
    std::ofstream f(p, std::ios::binary);
    f << text;
    return static_cast<bool>(f);
}

void print_listeners(const transport::Server& server) {
    for (const auto& l : server.listeners()) std::cout << transport::listening_line(l) << "\n";
    std::cout << std::flush;
}

// Command clients: `--jobs` workers, each with its own server; findings settled on a fresh one.
void run_commands(const Plan& plan, const FuzzClientOptions& o, const AppConfig& config, Recorder& recorder,
                  Clock::time_point stop_at) {
    FuzzDataRoot root(o.data_dir);
    const std::size_t jobs = std::clamp<std::uint64_t>(o.jobs, 1, std::max<std::uint64_t>(plan.count, 1));
    root.seed(jobs);
    std::vector<std::size_t> queue(plan.count);
    std::iota(queue.begin(), queue.end(), std::size_t{0});
    harness::run_pool(queue, jobs, [&](std::size_t w) -> harness::PoolTask {
        auto worker = std::make_shared<FuzzWorker>(config, root.worker_dir(w, jobs), o);
        return [&, worker](std::size_t k) {
            if (Clock::now() >= stop_at) return;  // --minutes: the rest of the queue is skipped
            recorder.record(run_case(*worker, plan.at(k, o), o));
        };
    });
    if (recorder.findings().empty()) return;
    FuzzWorker worker(config, root.worker_dir(0, jobs), o);
    settle_findings(recorder.findings(), worker, o);
}

// A device: one server on the configured (or --bind / --real-ports) addresses, one case at a time.
void run_device(const Plan& plan, const FuzzClientOptions& o, const AppConfig& config, Recorder& recorder,
                Clock::time_point stop_at) {
    FuzzDataRoot root(o.data_dir);
    FuzzWorker worker(config, root.worker_dir(0, 1), o);
    print_listeners(worker.server().server());
    device_campaign(worker, recorder, plan.count, [&](std::uint64_t k) { return plan.at(k, o); }, stop_at, o);
    settle_findings(recorder.findings(), worker, o);
}

int run_campaign(const Plan& plan, const FuzzClientOptions& o) {
    fs::create_directories(o.out);
    const AppConfig config = certify_config(certify_options(o));
    Recorder recorder(o.out, plan.count);
    const auto started = Clock::now();
    const auto stop_at = o.minutes ? started + milliseconds(static_cast<long long>(*o.minutes * 60'000)) : Clock::time_point::max();
    if (is_device(o)) run_device(plan, o, config, recorder, stop_at);
    else run_commands(plan, o, config, recorder, stop_at);
    CampaignSummary summary{fuzz::version(), fuzz::model_hash(), plan.seed, o.mode == fuzz::Mode::catalogue ? "catalogue" : "random",
                            o.endpoint, std::chrono::duration_cast<milliseconds>(Clock::now() - started)};
    auto& cases = recorder.cases();
    std::sort(cases.begin(), cases.end(), [](const CaseRecord& a, const CaseRecord& b) { return a.fuzz_case.id.index < b.fuzz_case.id.index; });
    const bool written = write_text(o.out / "junit.xml", fuzz_junit(cases, summary)) &&
                         write_text(o.out / "report.html", fuzz_html(cases, recorder.findings(), summary));
    std::cout << cases.size() << " cases, " << recorder.findings().size() << " distinct findings in " << std::fixed
              << std::setprecision(1) << static_cast<double>(summary.duration.count()) / 1000.0 << " s ("
              << std::setprecision(2) << (summary.duration.count() ? cases.size() * 1000.0 / static_cast<double>(summary.duration.count()) : 0.0)
              << " cases/s); reports in " << o.out.string() << std::endl;
    // A client that never connects tests nothing (a wrong path in --client, a refused port).
    const auto silent = std::count_if(cases.begin(), cases.end(), [](const CaseRecord& r) { return r.run.connections == 0; });
    if (silent > 0) std::cout << "warning: " << silent << " case" << (silent == 1 ? "" : "s") << " made no connection" << std::endl;
    if (!written) {
        std::cerr << "exosim fuzz-client: cannot write the reports to " << o.out << "\n";
        return 1;
    }
    return recorder.findings().empty() ? 0 : 1;
}

}  // namespace

int fuzz_client(const FuzzClientOptions& o) {
    try {
        const Plan plan = make_plan(o);
        std::cout << "exosim fuzz-client " << fuzz::version() << " model " << std::hex << std::setw(16) << std::setfill('0')
                  << fuzz::model_hash() << std::dec << std::setfill(' ') << " seed " << plan.seed << ", " << plan.count
                  << (o.minutes ? " cases at most" : " cases") << std::endl;
        if (o.list) {
            list_cases(plan, o);
            return 0;
        }
        return run_campaign(plan, o);
    } catch (const UsageError& e) {
        std::cerr << "exosim fuzz-client: " << e.what() << "\n";
        return 2;
    } catch (const ConfigError& e) {
        std::cerr << "exosim fuzz-client: configuration error: " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "exosim fuzz-client: " << e.what() << "\n";
        return 1;
    }
}

int fuzz_client_command(const std::vector<std::string>& args) {
    FuzzClientOptions options;
    try {
        options = parse_fuzz_client_options(args);
    } catch (const UsageError& e) {
        std::cerr << "exosim fuzz-client: " << e.what() << "\n(see exosim fuzz-client --help)\n";
        return 2;
    }
    if (options.help) {
        std::cout << fuzz_client_help();
        return 0;
    }
    if (!options.listing.empty()) {
        std::cout << options.listing;
        return 0;
    }
    return fuzz_client(options);
}

}  // namespace exosim::app
