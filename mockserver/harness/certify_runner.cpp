// One scenario, start to verdict: arm, trigger the client per attempt, wait, judge.
#include "harness/certify_runner.hpp"

#include <ostream>
#include <thread>
#include <tuple>

#include "harness/attachment.hpp"
#include "harness/client_process.hpp"
#include "harness/client_values.hpp"
#include "harness/command_template.hpp"
#include "harness/http_trigger.hpp"

namespace exosim::harness {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// How long after a client exited its connection may still be unregistered (accept queue).
constexpr milliseconds accept_grace{1500};
constexpr milliseconds progress_every{5000};
// exosim's own XOAUTH2 tokens need the runtime's secret; without one the client still gets
// something to send (the server then answers 535, which the scenario may expect).
constexpr const char* fixed_test_token = "exosim-test-token";

void say(const RunnerOptions& o, const std::string& line) {
    if (o.progress) *o.progress << line << std::endl;
}

// What one scenario run needs besides the slot: resolved before the scenario is armed.
struct Prepared {
    RunnerOptions options;           // with this scenario's client certificate
    Endpoint endpoint;
    std::string attachment;          // path given to the client, "" when none
    scenario::JudgeOptions judge;    // with the attachment resolver
    std::string token;
    IdentityValues identity;         // {authority}, {client_id}, ... (empty without a sign-in service)
};

// Throws std::runtime_error with the reason the scenario cannot run here.
Prepared prepare(const scenario::Scenario& s, const RunnerOptions& o) {
    Prepared p;
    p.options = o;
    if (s.send.client_certificate) {
        if (!o.client_certificate)
            throw std::runtime_error("send.client_certificate: this runner cannot make client certificates");
        std::tie(p.options.client_cert, p.options.client_key) = o.client_certificate(*s.send.client_certificate);
    }
    std::optional<Endpoint> endpoint = o.endpoint ? o.endpoint(s.endpoint) : std::nullopt;
    if (!endpoint) throw std::runtime_error("endpoint '" + s.endpoint + "' is not a listener of this server");
    p.endpoint = *endpoint;
    std::filesystem::path path = prepare_attachment(s, o.work_dir / s.id);
    if (!path.empty()) {
        p.attachment = path.string();
        auto expected = expected_attachment(s);
        p.judge.attachment = [expected](const std::string&) { return expected; };
    }
    // Only scenarios about OAuth fill {authority}, {oauth_flow}, ...: elsewhere they stay empty.
    if (s.send.token == "none" || s.identity.present) {
        if (!o.identity.values || !o.identity.start)
            throw std::runtime_error("identity: this runner has no sign-in service for the client to get a token from");
        p.identity = o.identity.values(s);
    }
    // send.token none: the client must get its own token ({token} stays empty).
    if (s.send.token == "none") return p;
    p.token = fixed_test_token;
    if (o.mint_token && !s.send.user.empty()) {
        try {
            p.token = o.mint_token(s.send.user);
        } catch (const std::exception&) {
            // keep the fixed token: the scenario may be about a client without a valid one
        }
    }
    return p;
}

// Waits for a session of the device (manual / trigger-url): a new connection, then idle.
bool wait_for_device(ScenarioSlot& slot, std::size_t before, const RunnerOptions& o) {
    auto deadline = Clock::now() + o.attempt_timeout;
    while (Clock::now() < deadline) {
        auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
        if (slot.wait_idle(before + 1, std::min(left, progress_every))) return true;
        left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
        say(o, "  ... waiting for the device's session (" + std::to_string(slot.connections() - before) +
                   " so far, " + std::to_string(std::max<long long>(0, left.count() / 1000)) + " s left)");
    }
    return slot.wait_idle(before + 1, milliseconds(0));
}

std::string manual_prompt(const scenario::Scenario& s, const Endpoint& e, const RunnerOptions& o,
                          const IdentityValues& id) {
    std::string to;
    for (const auto& r : s.send.to) to += (to.empty() ? "" : ", ") + r;
    std::string out = "  Configure the device for scenario " + s.id + " (" + s.title + "):\n";
    out += "    server:    " + e.host + "\n";
    out += "    port:      " + std::to_string(e.port) + "\n";
    out += "    security:  " + s.send.security + "\n";
    out += "    auth:      " + s.send.auth + "\n";
    if (s.send.auth != "none") {
        out += "    user:      " + s.send.user + "\n";
        if (s.send.token != "none") out += "    password:  " + s.send.password + "\n";
    }
    if (s.send.token == "none") {
        // issue 13: the device signs in itself; device codes are shown as they appear.
        out += "    OAuth:     " + id.oauth_flow + ", authority " + id.authority + "\n";
        out += "    client id: " + id.client_id + (id.client_secret.empty() ? "" : " (secret " + id.client_secret + ")") + "\n";
        out += "    scope:     " + id.scope + "\n";
        out += "    sign-in:   " + id.identity_address + " (login.microsoftonline.com, microsoft.com/devicelogin)\n";
    }
    out += "    from:      " + s.send.from + "\n";
    out += "    to:        " + to + "\n";
    if (!o.ca_file.empty()) out += "    CA:        " + o.ca_file.string() + "\n";
    out += "  then make it send now (waiting " + std::to_string(o.attempt_timeout.count() / 1000) + " s).";
    return out;
}

// What one attempt came to.
struct Attempt {
    bool connected = false;   // the client made at least one connection
    std::string error;        // the harness could not run it (verdict error)
};

Attempt run_client(ScenarioSlot& slot, const scenario::Scenario& s, const Prepared& p, const RunnerOptions& o,
                   unsigned attempt, std::vector<scenario::ClientRun>& runs) {
    const std::size_t before = slot.connections();
    std::string command;
    try {
        command = fill_template(o.command,
                                placeholder_values(s, p.endpoint, p.options, attempt, p.attachment, p.token, p.identity));
    } catch (const std::exception& e) {
        return {false, e.what()};
    }
    ProcessOptions po;
    po.timeout = o.attempt_timeout;
    ProcessResult pr = run_command(command, po);
    scenario::ClientRun run{pr.exit_code, pr.stdout_tail, pr.stderr_tail, pr.duration};
    if (pr.timed_out)
        run.stderr_tail += "\n[exosim: killed after the " + std::to_string(o.attempt_timeout.count() / 1000) + " s timeout]";
    else if (pr.signal)  // a crash (fuzz-client reproducers replayed here): say so, the exit code cannot
        run.stderr_tail += "\n[exosim: the client died by signal " + std::to_string(*pr.signal) + "]";
    runs.push_back(std::move(run));
    if (!pr.error.empty()) return {false, "the client command could not be started: " + pr.error};
    const bool not_found = pr.exit_code == 126 || pr.exit_code == 127;
    if (!not_found) slot.wait_idle(before + 1, accept_grace);  // its connection may still be queued
    if (slot.connections() == before) {
        if (not_found)
            return {false, "the client command could not run (exit " + std::to_string(*pr.exit_code) +
                               "): " + pr.stderr_tail.substr(0, 500)};
        return {false, {}};
    }
    slot.wait_idle(0, o.idle_timeout);
    return {true, {}};
}

Attempt run_device(ScenarioSlot& slot, const RunnerOptions& o, unsigned attempt,
                   std::vector<scenario::ClientRun>& runs) {
    const std::size_t before = slot.connections();
    if (o.mode == TriggerMode::url) {
        try {
            int status = http_trigger(o.trigger_url, o.trigger_method, o.attempt_timeout);
            scenario::ClientRun run;
            run.stdout_tail = "HTTP " + std::to_string(status);
            runs.push_back(std::move(run));
            if (status >= 400) say(o, "  the trigger answered HTTP " + std::to_string(status));
        } catch (const std::exception& e) {
            return {false, e.what()};
        }
    } else if (attempt > 1) {
        say(o, "  waiting for the device's retry (attempt " + std::to_string(attempt) + ")");
    }
    if (!wait_for_device(slot, before, o)) slot.wait_idle(0, o.idle_timeout);
    return {slot.connections() > before, {}};
}

// The verdict, with the reason when the client never connected.
scenario::RunResult result_of(ScenarioSlot& slot, const scenario::Scenario& s, const Prepared& p,
                              std::vector<scenario::ClientRun> runs) {
    scenario::Findings findings = slot.judge(p.judge);
    scenario::Trace trace = slot.trace();
    scenario::RunResult r = scenario::make_run_result(s, trace, findings);
    if (trace.connections.empty() && r.verdict == scenario::Verdict::error) {
        // Say why, as far as the harness knows: the client's own words are the best clue (a
        // scenario may expect no connection at all: then there is nothing to explain).
        std::string why = "the client made no connection to " + s.endpoint + " (" + p.endpoint.host + ":" +
                          std::to_string(p.endpoint.port) + ")";
        if (!runs.empty() && runs.back().exit_code) {
            why += "; it exited " + std::to_string(*runs.back().exit_code);
            std::string said = runs.back().stderr_tail.empty() ? runs.back().stdout_tail : runs.back().stderr_tail;
            while (!said.empty() && (said.back() == '\n' || said.back() == '\r')) said.pop_back();
            if (!said.empty()) why += ": " + said.substr(0, 300);
        }
        r.error = r.error.empty() ? why : r.error + " (" + why + ")";
    }
    r.client_runs = std::move(runs);
    return r;
}

// One job: the client run until it delivered or gave up (the harness re-runs it while the message
// is deferred, up to max_attempts connections). Returns the harness error, "" when none.
std::string run_job(ScenarioSlot& slot, const scenario::Scenario& s, const Prepared& prepared,
                    const RunnerOptions& options, std::vector<scenario::ClientRun>& runs) {
    const unsigned max_attempts = std::max(1u, s.expect.max_attempts);
    const std::size_t before = slot.connections();
    for (unsigned attempt = 1; attempt <= max_attempts; ++attempt) {
        if (attempt > 1 && options.mode != TriggerMode::manual)
            std::this_thread::sleep_for(options.rerun_backoff * (1u << std::min(attempt - 2, 10u)));
        Attempt a = options.mode == TriggerMode::client ? run_client(slot, s, prepared, options, attempt, runs)
                                                        : run_device(slot, options, attempt, runs);
        if (!a.error.empty()) return a.error;
        // No (further) connection, enough of them, or the client delivered or gave up for good:
        // another run would not be a retry.
        if (!a.connected || slot.connections() - before >= max_attempts) break;
        if (slot.judge(prepared.judge).outcome != scenario::Outcome::deferred) break;
    }
    return {};
}

// The scenario's side of the sign-in service for one run; stop() also runs on every early return.
class IdentityRun {
public:
    IdentityRun(const scenario::Scenario& s, const RunnerOptions& o) : s_(s), o_(o) {}
    ~IdentityRun() { stop(); }
    IdentityRun(const IdentityRun&) = delete;
    IdentityRun& operator=(const IdentityRun&) = delete;

    void start() {
        if (!s_.identity.present && s_.send.token != "none") return;
        o_.identity.start(s_);
        started_ = true;
    }
    void before_job(unsigned job) {
        if (started_ && job > 1 && o_.identity.between_jobs) o_.identity.between_jobs(s_, job);
    }
    void stop() {
        if (started_ && o_.identity.stop) o_.identity.stop();
        started_ = false;
    }

private:
    const scenario::Scenario& s_;
    const RunnerOptions& o_;
    bool started_ = false;
};

}  // namespace

scenario::RunResult run_scenario(ScenarioSlot& slot, std::shared_ptr<const scenario::Scenario> scenario,
                                 const RunnerOptions& options) {
    const scenario::Scenario& s = *scenario;
    auto started = Clock::now();
    auto finish = [&](scenario::RunResult r) {
        r.duration = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
        return r;
    };
    Prepared prepared;
    try {
        prepared = prepare(s, options);
        slot.arm(scenario);  // applies the tenant overrides: an unknown key is the scenario's error
    } catch (const std::exception& e) {
        slot.clear();
        return finish(scenario::harness_error(s, e.what()));
    }
    if (options.mode == TriggerMode::manual) say(options, manual_prompt(s, prepared.endpoint, options, prepared.identity));

    IdentityRun identity(s, options);
    try {
        identity.start();
    } catch (const std::exception& e) {
        slot.clear();
        return finish(scenario::harness_error(s, std::string("identity: ") + e.what()));
    }
    std::vector<scenario::ClientRun> runs;
    const unsigned jobs = s.identity.present ? std::max(1u, s.identity.jobs) : 1u;
    for (unsigned job = 1; job <= jobs; ++job) {
        std::string error;
        try {
            identity.before_job(job);
            slot.record_job_start();
            error = run_job(slot, s, prepared, options, runs);
        } catch (const std::exception& e) {
            error = std::string("identity: ") + e.what();
        }
        if (!error.empty()) {
            identity.stop();
            slot.clear();
            scenario::RunResult r = scenario::harness_error(s, error);
            r.client_runs = std::move(runs);
            return finish(std::move(r));
        }
    }
    identity.stop();
    scenario::RunResult r = result_of(slot, s, prepared, std::move(runs));
    slot.clear();
    return finish(std::move(r));
}

}  // namespace exosim::harness
