// One scenario, start to verdict: arm, trigger the client per attempt, wait, judge.
#include "harness/certify_runner.hpp"

#include <fstream>
#include <iostream>
#include <iterator>

#include "harness/client_process.hpp"
#include "harness/command_template.hpp"

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

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void say(const RunnerOptions& o, const std::string& line) {
    if (o.progress) *o.progress << line << std::endl;
}

// Waits for a session of the device (manual / trigger-url): a new connection, then idle.
bool wait_for_device(ScenarioSlot& slot, std::size_t before, const RunnerOptions& o, const std::string& what) {
    auto deadline = Clock::now() + o.attempt_timeout;
    while (Clock::now() < deadline) {
        auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
        if (slot.wait_idle(before + 1, std::min(left, progress_every))) return true;
        left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
        say(o, "  ... waiting for " + what + " (" + std::to_string(slot.connections() - before) + " session(s) so far, " +
                   std::to_string(std::max<long long>(0, left.count() / 1000)) + " s left)");
    }
    return slot.wait_idle(before + 1, milliseconds(0));
}

std::string manual_prompt(const scenario::Scenario& s, const Endpoint& e, const RunnerOptions& o) {
    std::string to;
    for (const auto& r : s.send.to) to += (to.empty() ? "" : ", ") + r;
    std::string out = "  Configure the device for scenario " + s.id + " (" + s.title + "):\n";
    out += "    server:    " + e.host + "\n";
    out += "    port:      " + std::to_string(e.port) + "\n";
    out += "    security:  " + s.send.security + "\n";
    out += "    auth:      " + s.send.auth + "\n";
    if (s.send.auth != "none") {
        out += "    user:      " + s.send.user + "\n";
        out += "    password:  " + s.send.password + "\n";
    }
    out += "    from:      " + s.send.from + "\n";
    out += "    to:        " + to + "\n";
    if (!o.ca_file.empty()) out += "    CA:        " + o.ca_file.string() + "\n";
    out += "  then make it send now (waiting " + std::to_string(o.attempt_timeout.count() / 1000) + " s).";
    return out;
}

}  // namespace

scenario::RunResult run_scenario(ScenarioSlot& slot, std::shared_ptr<const scenario::Scenario> scenario,
                                 const RunnerOptions& options) {
    const scenario::Scenario& s = *scenario;
    auto started = Clock::now();
    auto finish = [&](scenario::RunResult r) {
        r.duration = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
        return r;
    };

    std::optional<Endpoint> endpoint = options.endpoint ? options.endpoint(s.endpoint) : std::nullopt;
    if (!endpoint) return finish(scenario::harness_error(s, "endpoint '" + s.endpoint + "' is not a listener of this server"));

    std::string attachment;
    scenario::JudgeOptions judge_options;
    try {
        std::filesystem::path path = prepare_attachment(s, options.work_dir / s.id);
        if (!path.empty()) {
            attachment = path.string();
            scenario::ExpectedAttachment expected{path.filename().string(), read_file(path)};
            judge_options.attachment = [expected](const std::string&) -> std::optional<scenario::ExpectedAttachment> {
                return expected;
            };
        }
    } catch (const std::exception& e) {
        return finish(scenario::harness_error(s, e.what()));
    }

    std::string token = fixed_test_token;
    if (options.mint_token && !s.send.user.empty()) {
        try {
            token = options.mint_token(s.send.user);
        } catch (const std::exception&) {
            // keep the fixed token: the scenario may be about a client without a valid one
        }
    }

    try {
        slot.arm(scenario);  // applies the tenant overrides: an unknown key is the scenario's error
    } catch (const std::exception& e) {
        slot.clear();
        return finish(scenario::harness_error(s, std::string("cannot arm the scenario: ") + e.what()));
    }
    std::vector<scenario::ClientRun> runs;
    std::string error;
    const unsigned max_attempts = std::max(1u, s.expect.max_attempts);
    if (options.mode == TriggerMode::manual) say(options, manual_prompt(s, *endpoint, options));

    for (unsigned attempt = 1; attempt <= max_attempts; ++attempt) {
        const std::size_t before = slot.connections();
        if (options.mode == TriggerMode::client) {
            std::string command;
            try {
                command = fill_template(options.command, placeholder_values(s, *endpoint, options, attempt, attachment, token));
            } catch (const std::exception& e) {
                error = e.what();
                break;
            }
            ProcessOptions po;
            po.timeout = options.attempt_timeout;
            ProcessResult pr = run_command(command, po);
            scenario::ClientRun run;
            run.exit_code = pr.exit_code;
            run.stdout_tail = pr.stdout_tail;
            run.stderr_tail = pr.stderr_tail;
            if (pr.timed_out) run.stderr_tail += "\n[exosim: killed after the " +
                                                 std::to_string(options.attempt_timeout.count() / 1000) + " s timeout]";
            run.duration = pr.duration;
            runs.push_back(std::move(run));
            if (!pr.error.empty()) {
                error = "the client command could not be started: " + pr.error;
                break;
            }
            bool connected = pr.exit_code == 126 || pr.exit_code == 127 ? slot.connections() > before
                                                                       : slot.wait_idle(before + 1, accept_grace);
            if (!connected && slot.connections() == before) {
                if (pr.exit_code == 127 || pr.exit_code == 126)
                    error = "the client command could not run (exit " + std::to_string(*pr.exit_code) +
                            "): " + pr.stderr_tail.substr(0, 500);
                break;  // it did not connect at all: nothing more to wait for
            }
            slot.wait_idle(0, options.idle_timeout);
        } else {
            if (options.mode == TriggerMode::url) {
                try {
                    int status = http_trigger(options.trigger_url, options.trigger_method, options.attempt_timeout);
                    scenario::ClientRun run;
                    run.stdout_tail = "HTTP " + std::to_string(status);
                    runs.push_back(std::move(run));
                    if (status >= 400) say(options, "  trigger answered HTTP " + std::to_string(status));
                } catch (const std::exception& e) {
                    error = e.what();
                    break;
                }
            } else if (attempt > 1) {
                say(options, "  waiting for the device's retry (attempt " + std::to_string(attempt) + ")");
            }
            if (!wait_for_device(slot, before, options, "the device's session")) {
                if (slot.connections() == before) break;  // no (further) session: judge what there is
                slot.wait_idle(0, options.idle_timeout);
            }
        }
        // The device gave up, delivered or was refused for good: more runs would not be retries.
        if (slot.connections() >= max_attempts) break;
        scenario::Findings so_far = slot.judge(judge_options);
        if (so_far.outcome != scenario::Outcome::deferred) break;
    }

    if (!error.empty()) {
        slot.clear();
        scenario::RunResult r = scenario::harness_error(s, error);
        r.client_runs = std::move(runs);
        return finish(std::move(r));
    }
    scenario::Findings findings = slot.judge(judge_options);
    scenario::Trace trace = slot.trace();
    slot.clear();
    scenario::RunResult r = scenario::make_run_result(s, trace, findings);
    if (trace.connections.empty()) {
        // Say why, as far as the harness knows: the client's own words are the best clue.
        std::string why = "the client made no connection to " + s.endpoint + " (" + endpoint->host + ":" +
                          std::to_string(endpoint->port) + ")";
        if (!runs.empty() && runs.back().exit_code) {
            why += "; it exited " + std::to_string(*runs.back().exit_code);
            std::string said = runs.back().stderr_tail.empty() ? runs.back().stdout_tail : runs.back().stderr_tail;
            while (!said.empty() && (said.back() == '\n' || said.back() == '\r')) said.pop_back();
            if (!said.empty()) why += ": " + said.substr(0, 300);
        }
        r.error = r.error.empty() ? why : r.error + " (" + why + ")";
    }
    r.client_runs = std::move(runs);
    return finish(std::move(r));
}

}  // namespace exosim::harness
