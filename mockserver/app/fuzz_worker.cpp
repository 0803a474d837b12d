// Running one fuzz case on a worker's server.
#include "app/fuzz_worker.hpp"

#include <stdlib.h>

#include <algorithm>
#include <iostream>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "fuzz/case_scenario.hpp"
#include "harness/client_process.hpp"
#include "harness/client_values.hpp"
#include "harness/command_template.hpp"
#include "harness/http_trigger.hpp"
#include "scenario/client_view.hpp"
#include "scenario/transcript_text.hpp"

namespace exosim::app {

namespace fs = std::filesystem;
namespace asio = boost::asio;
using std::chrono::milliseconds;

namespace {

// After the client exited: how long its sessions may take to end (the server sees the close).
constexpr milliseconds sessions_end{2000};
// A device whose mail stack just crashed takes a moment to drop its other services: the probe
// waits this long after the session ended.
constexpr milliseconds probe_settle{500};
// A hung client gets SIGTERM, then SIGKILL this much later: a hang is already the finding.
constexpr milliseconds kill_grace{200};


std::vector<std::string> failed_behaviour(const scenario::Findings& f) {
    std::vector<std::string> out;
    for (std::string_view rule : fuzz::behaviour_rules()) {
        const scenario::Finding* r = f.find(rule);
        if (r && r->verdict == scenario::Verdict::fail) out.emplace_back(rule);
    }
    return out;
}

std::string transcripts(const scenario::Trace& trace) {
    std::string out;
    for (std::size_t i = 0; i < trace.connections.size(); ++i) {
        const auto& c = trace.connections[i];
        out += "-- connection " + std::to_string(i + 1) + "\n" + scenario::transcript_text(scenario::build_transcript(c, scenario::read_client_view(c))) + "\n";
    }
    return out;
}

// A TCP connection to the probe within the timeout (the device's web UI, IPP 631, 9100 still up).
bool probe_answers(const std::pair<std::string, std::uint16_t>& probe, milliseconds timeout) {
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    boost::system::error_code result = asio::error::timed_out;
    asio::steady_timer timer(io, timeout);
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(probe.first, ec);
    if (ec) return false;
    socket.async_connect({address, probe.second}, [&](const boost::system::error_code& e) {
        result = e;
        timer.cancel();
    });
    timer.async_wait([&](const boost::system::error_code& e) {
        if (!e) socket.close();
    });
    io.run();
    return !result;
}

}  // namespace

CertifyOptions certify_options(const FuzzClientOptions& o) {
    CertifyOptions c;
    c.client = o.client;
    c.manual = o.manual;
    c.trigger_url = o.trigger_url;
    c.bind = o.bind;
    c.real_ports = o.real_ports;
    c.config_file = o.config_file;
    c.client_timeout = o.client_timeout;
    c.timeout = std::chrono::duration_cast<std::chrono::seconds>(o.deadline);
    return c;
}

FuzzWorker::FuzzWorker(const AppConfig& config, const fs::path& data_dir, const FuzzClientOptions& options)
    : options_(options), server_(std::make_unique<CertifyServer>(config, data_dir)) {
    runner_ = runner_options(certify_options(options), *server_, nullptr);
    runner_.client_timeout = options.client_timeout;
    runner_.attempt_timeout = options.deadline;
}

std::string FuzzWorker::token(const std::string& user) {
    auto it = tokens_.find(user);
    if (it != tokens_.end()) return it->second;
    std::string t = "exosim-test-token";
    try {
        if (runner_.mint_token && !user.empty()) t = runner_.mint_token(user);
    } catch (const std::exception&) {
        // keep the fixed token: the server answers 535, which a fuzz case may meet anyway
    }
    return tokens_[user] = t;
}

// A device: trigger (HTTP or a person), the reconnect watchdog, the session under the deadline,
// then the liveness probe.
void FuzzWorker::run_device(const scenario::Scenario& s, CaseRun& r) {
    auto& slot = server_->slot();
    if (options_.trigger_url) {
        try {
            harness::http_trigger(*options_.trigger_url, "GET", options_.reconnect_within);
        } catch (const std::exception& e) {
            r.error = std::string("the trigger failed: ") + e.what();
            return;
        }
    } else {
        std::cout << "  make the device send now (" << s.title << ")" << std::endl;
    }
    const auto watchdog = std::chrono::steady_clock::now() + options_.reconnect_within;
    while (slot.connections() == 0 && std::chrono::steady_clock::now() < watchdog) std::this_thread::sleep_for(milliseconds(20));
    r.observation.no_session = slot.connections() == 0;
    if (!r.observation.no_session) r.observation.timed_out = !slot.wait_idle(1, options_.deadline);
    if (options_.probe) {
        std::this_thread::sleep_for(probe_settle);
        r.observation.probe_failed = !probe_answers(*options_.probe, milliseconds(3000));
    }
}

CaseRun FuzzWorker::run(std::shared_ptr<const scenario::Scenario> s) {
    CaseRun r;
    if (is_device(options_)) {
        const auto started = std::chrono::steady_clock::now();
        server_->prepare(*s);
        server_->slot().arm(s);
        run_device(*s, r);
        finish(r, started);
        return r;
    }
    const auto started = std::chrono::steady_clock::now();
    auto& slot = server_->slot();
    const auto endpoint = runner_.endpoint(s->endpoint);
    if (!endpoint) {
        r.error = "endpoint '" + s->endpoint + "' is not a listener of this server";
        return r;
    }
    server_->prepare(*s);
    slot.arm(s);
    harness::ProcessOptions po;
    po.timeout = options_.deadline;
    po.kill_grace = kill_grace;
    po.max_rss_kb = options_.max_rss_mb * 1024;
    const std::string command = harness::fill_template(
        *options_.client, harness::placeholder_values(*s, *endpoint, runner_, 1, "", token(s->send.user)));
    const harness::ProcessResult pr = harness::run_command(command, po);
    if (!pr.error.empty()) r.error = "the client command could not be started: " + pr.error;
    slot.wait_idle(0, sessions_end);
    r.observation = {pr.exit_code, pr.signal, pr.timed_out, pr.rss_exceeded, pr.peak_rss_kb, pr.stderr_tail, {}};
    r.stdout_tail = pr.stdout_tail;
    finish(r, started);
    return r;
}

// Judges the wire, keeps the transcripts, disarms.
void FuzzWorker::finish(CaseRun& r, std::chrono::steady_clock::time_point started) {
    auto& slot = server_->slot();
    const scenario::Findings findings = slot.judge();
    const scenario::Trace trace = slot.trace();
    slot.clear();
    r.observation.failed_rules = failed_behaviour(findings);
    r.transcript = transcripts(trace);
    r.connections = trace.connections.size();
    r.duration = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started);
}

FuzzDataRoot::FuzzDataRoot(const std::optional<fs::path>& given) : temp_(!given) {
    if (given) {
        path_ = *given;
        fs::create_directories(path_);
        return;
    }
    std::string pattern = (fs::temp_directory_path() / "exosim-fuzz-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temporary data directory");
    path_ = pattern;
}

FuzzDataRoot::~FuzzDataRoot() {
    std::error_code ec;
    if (temp_) fs::remove_all(path_, ec);
}

void FuzzDataRoot::seed(std::size_t workers) {
    if (workers > 1) seed_run_keys(path_ / "tls");
}

fs::path FuzzDataRoot::worker_dir(std::size_t worker, std::size_t workers) const {
    if (workers == 1) return path_;
    const fs::path dir = path_ / ("worker-" + std::to_string(worker + 1));
    seed_tls_dir(path_ / "tls", dir / "tls");
    return dir;
}

}  // namespace exosim::app
