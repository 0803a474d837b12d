// `exosim certify`: select the scenarios (suite, filter, shard), run them on one server per
// worker, print one line per finished scenario, write the reports in suite order.
#include "app/certify.hpp"

#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <numeric>
#include <sstream>

#include "app/certify_server.hpp"
#include "app/cli.hpp"
#include "app/profiles.hpp"
#include "app/report_command.hpp"
#include "app/scenario_paths.hpp"
#include "core/ascii.hpp"
#include "harness/certify_runner.hpp"
#include "harness/job_pool.hpp"
#include "harness/scenario_cost.hpp"
#include "scenario/verdict.hpp"
#include "scenario/yaml_io.hpp"
#include "transport/server.hpp"

namespace exosim::app {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using Scenarios = std::vector<std::shared_ptr<const scenario::Scenario>>;

namespace {

std::string iso_now() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::ostringstream s;
    s << std::put_time(&tm, "%Y-%m-%dT%H:%M:%SZ");
    return s.str();
}

fs::path scenarios_root(const CertifyOptions& o) {
    if (o.scenarios_dir) return *o.scenarios_dir;
    // ./scenarios, the source tree's, then the Debian package's /usr/share/exosim/scenarios.
    return first_scenario_library(default_scenario_libraries());
}

fs::path suite_file(const CertifyOptions& o) {
    const std::string& s = *o.suite;
    bool is_file = s.find('/') != std::string::npos || s.ends_with(".yaml") || s.ends_with(".yml");
    fs::path file = is_file ? fs::path(s) : scenarios_root(o) / "suites" / (s + ".yaml");
    if (!fs::is_regular_file(file)) {
        std::string known;
        fs::path dir = is_file ? fs::path() : scenarios_root(o) / "suites";
        std::error_code ec;
        if (!dir.empty() && fs::is_directory(dir, ec))
            for (const auto& e : fs::directory_iterator(dir, ec))
                if (e.path().extension() == ".yaml") known += (known.empty() ? "" : ", ") + e.path().stem().string();
        throw UsageError("--suite: no suite file " + file.string() + (known.empty() ? "" : " (suites: " + known + ")"));
    }
    return file;
}

bool matches_filter(const scenario::Scenario& s, const std::optional<std::string>& filter) {
    if (!filter) return true;
    if (s.id.find(*filter) != std::string::npos) return true;
    return std::any_of(s.tags.begin(), s.tags.end(), [&](const std::string& t) { return t.find(*filter) != std::string::npos; });
}

// What this invocation runs: the selection (suite or files, --filter), then this shard of it.
struct Selection {
    std::string suite_name;
    Scenarios scenarios;               // to run, in suite order
    std::optional<scenario::ShardInfo> shard;
    std::size_t selected = 0;          // before the shard
};

Selection select_scenarios(const CertifyOptions& o) {
    Selection sel;
    std::vector<scenario::Scenario> loaded;
    if (o.suite) {
        scenario::Suite suite = scenario::load_suite(suite_file(o));
        sel.suite_name = suite.name.empty() ? *o.suite : suite.name;
        loaded = scenario::load_suite_scenarios(suite);
    } else {
        sel.suite_name = "scenarios";
        for (const auto& f : o.scenarios) loaded.push_back(scenario::load_scenario(f));
    }
    if (o.shard) sel.shard = scenario::ShardInfo{o.shard->index, o.shard->count, {}};
    for (auto& s : loaded) {
        if (!matches_filter(s, o.filter)) continue;
        ++sel.selected;
        if (sel.shard) sel.shard->suite_ids.push_back(s.id);
        if (!o.shard || scenario::in_shard(s.id, *o.shard))
            sel.scenarios.push_back(std::make_shared<const scenario::Scenario>(std::move(s)));
    }
    return sel;
}

fs::path make_temp_dir() {
    std::string pattern = (fs::temp_directory_path() / "exosim-certify-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temporary data directory");
    return pattern;
}

// --data-dir, or a temporary directory removed afterwards. One worker serves from it directly;
// worker K of several from worker-K/ in it, with a copy of the CA made once in <root>/tls.
class DataRoot {
public:
    explicit DataRoot(const std::optional<fs::path>& given) : temp_(!given), path_(given ? *given : make_temp_dir()) {}
    ~DataRoot() {
        std::error_code ec;
        if (temp_) fs::remove_all(path_, ec);
    }
    DataRoot(const DataRoot&) = delete;
    DataRoot& operator=(const DataRoot&) = delete;
    fs::path worker_dir(std::size_t worker, std::size_t workers) const {
        return workers == 1 ? path_ : path_ / ("worker-" + std::to_string(worker + 1));
    }
    fs::path tls_dir() const { return path_ / "tls"; }

private:
    bool temp_;
    fs::path path_;
};

std::string seconds_text(milliseconds d) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(1) << static_cast<double>(d.count()) / 1000.0 << " s";
    return s.str();
}

// Finding messages may quote wire bytes (a ClientHello where a command was due): keep the
// terminal readable, \xNN for anything that is not printable ASCII.
std::string printable(std::string_view text, std::size_t max = 200) {
    std::string out;
    for (char c : text) {
        auto b = static_cast<unsigned char>(c);
        if (b >= 0x20 && b < 0x7f) {
            out += c;
        } else {
            out += "\\x";
            core::ascii::append_hex(out, b);
        }
        if (out.size() >= max) return out + "...";
    }
    return out;
}

// One line per scenario; the rules that broke expectations follow, indented.
std::string result_text(std::size_t done, std::size_t total, const scenario::RunResult& r) {
    std::ostringstream out;
    out << "[" << done << "/" << total << "] " << r.scenario_id << " ... " << scenario::verdict_name(r.verdict) << " ("
        << r.attempts << " connection" << (r.attempts == 1 ? "" : "s") << ", " << seconds_text(r.duration) << ")\n";
    if (!r.error.empty()) out << "    error: " << printable(r.error, 400) << "\n";
    for (const auto& f : r.findings) {
        if (f.as_expected) continue;
        out << "    " << f.rule << ": " << scenario::verdict_name(f.verdict);
        if (f.expected) out << " (expected " << scenario::verdict_name(*f.expected) << ")";
        if (!f.message.empty()) out << " - " << printable(f.message);
        out << "\n";
    }
    return out.str();
}

// Workers finish in any order: each scenario's lines are written whole, numbered as they finish.
class Progress {
public:
    Progress(std::ostream& out, std::size_t total) : out_(out), total_(total) {}
    void finished(const scenario::RunResult& r) {
        std::lock_guard lock(mutex_);
        out_ << result_text(++done_, total_, r) << std::flush;
    }
    // One server: the usual "listening ..." lines. Several: one line per worker.
    void listening(const transport::Server& server, std::size_t worker, std::size_t workers) {
        std::lock_guard lock(mutex_);
        if (workers == 1) {
            for (const auto& l : server.listeners()) out_ << transport::listening_line(l) << "\n";
        } else {
            out_ << "worker " << worker + 1 << " listening";
            for (const auto& l : server.listeners()) out_ << " " << l.name << "=" << l.address << ":" << l.port;
            out_ << "\n";
        }
        out_ << std::flush;
    }

private:
    std::ostream& out_;
    std::mutex mutex_;
    std::size_t total_;
    std::size_t done_ = 0;
};

// One worker runs the suite in its order; several start the long scenarios first, so the run
// takes about as long as its slowest scenario rather than that plus whatever came before it.
std::vector<std::size_t> run_order(const CertifyOptions& o, const AppConfig& config, const Scenarios& scenarios,
                                   std::size_t jobs) {
    std::vector<std::size_t> order(scenarios.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    if (jobs == 1) return order;
    harness::CostHints hints;
    hints.client_timeout = o.client_timeout;
    // As served: the profile decides some behaviours (Exchange's 465 is silent: profiles.cpp).
    hints.silent_listener = [listeners = effective_listeners(config)](const std::string& name) {
        return std::any_of(listeners.begin(), listeners.end(), [&](const transport::ListenerConfig& l) {
            return l.name == name && l.behaviour == transport::ListenerBehaviour::blackhole;
        });
    };
    return harness::longest_first(scenarios, hints);
}

// Every scenario on `jobs` workers, each with its own server; results in the scenarios' order.
std::vector<scenario::RunResult> run_all(const CertifyOptions& o, const AppConfig& config, const Scenarios& scenarios,
                                         std::size_t jobs) {
    std::vector<scenario::RunResult> results(scenarios.size());
    DataRoot root(o.data_dir);
    Progress progress(std::cout, scenarios.size());
    const std::vector<std::size_t> queue = run_order(o, config, scenarios, jobs);
    if (jobs > 1) transport::CertificateAuthority(root.tls_dir()).ensure_defaults();
    harness::run_pool(queue, jobs, [&](std::size_t w) -> harness::PoolTask {
        if (jobs > 1) seed_tls_dir(root.tls_dir(), root.worker_dir(w, jobs) / "tls");
        std::optional<fs::path> evidence;
        if (o.evidence) evidence = fs::absolute(o.out) / "evidence";
        auto server = std::make_shared<CertifyServer>(config, root.worker_dir(w, jobs), evidence);
        progress.listening(server->server(), w, jobs);
        // Only a device prints between result lines (prompts, waiting), and a device is one job.
        auto ro = std::make_shared<const harness::RunnerOptions>(runner_options(o, *server, jobs == 1 ? &std::cout : nullptr));
        // The task owns the server: it shuts down on its worker's thread once the queue is empty.
        return [&, server, ro](std::size_t i) {
            server->prepare(*scenarios[i]);
            results[i] = harness::run_scenario(server->slot(), scenarios[i], *ro);
            progress.finished(results[i]);
        };
    });
    return results;
}

std::string running_line(const Selection& sel, std::size_t jobs) {
    const std::size_t n = sel.scenarios.size();
    std::string line = "running " + std::to_string(n) + (sel.shard ? " of " + std::to_string(sel.selected) : "") +
                       " scenario" + (std::max(n, sel.selected) == 1 ? "" : "s") + " (" + sel.suite_name;
    if (sel.shard) line += ", shard " + std::to_string(sel.shard->index) + "/" + std::to_string(sel.shard->count);
    line += ")";
    if (jobs > 1) line += " on " + std::to_string(jobs) + " workers";
    return line;
}

int run(const CertifyOptions& o) {
    Selection sel;
    try {
        sel = select_scenarios(o);
    } catch (const UsageError&) {
        throw;
    } catch (const std::exception& e) {
        std::cerr << "exosim certify: " << e.what() << "\n";
        return 2;
    }
    if (sel.selected == 0) {
        std::cerr << "exosim certify: no scenario to run" << (o.filter ? " (--filter " + *o.filter + ")" : "") << "\n";
        return 2;
    }
    const AppConfig config = certify_config(o);
    const std::size_t jobs = std::clamp<std::size_t>(effective_jobs(o), 1, std::max<std::size_t>(1, sel.scenarios.size()));
    scenario::SuiteResult suite{sel.suite_name, iso_now(), {}, {}, sel.shard};
    std::cout << running_line(sel, jobs) << std::endl;
    const auto started = Clock::now();
    // A shard may hold none of a small suite's scenarios: it still reports, so the merge sees it.
    if (!sel.scenarios.empty()) suite.runs = run_all(o, config, sel.scenarios, jobs);
    suite.duration = std::chrono::duration_cast<milliseconds>(Clock::now() - started);

    bool written = write_reports(o.out, suite);
    std::cout << suite.count(scenario::Verdict::pass) << " pass, " << suite.count(scenario::Verdict::fail) << " fail, "
              << suite.count(scenario::Verdict::error) << " error, " << suite.count(scenario::Verdict::skipped)
              << " skipped in " << seconds_text(suite.duration) << "; reports in " << o.out.string() << std::endl;
    if (!written) {
        std::cerr << "exosim certify: cannot write the reports to " << o.out << "\n";
        return 1;
    }
    return suite.all_passed() ? 0 : 1;
}

}  // namespace

int certify(const CertifyOptions& options) {
    if (options.list_rules) {
        for (const auto& r : scenario::rule_catalogue())
            std::cout << r.id << "\t" << r.summary << (r.reference.empty() ? "" : "  [" + std::string(r.reference) + "]") << "\n";
        return 0;
    }
    try {
        return run(options);
    } catch (const UsageError& e) {
        std::cerr << "exosim certify: " << e.what() << "\n";
        return 2;
    } catch (const ConfigError& e) {
        std::cerr << "exosim certify: configuration error: " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "exosim certify: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace exosim::app
