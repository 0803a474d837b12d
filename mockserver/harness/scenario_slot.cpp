// The armed scenario, the trace of its run, and the transport hook that scripts its sessions.
#include "harness/scenario_slot.hpp"

#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

#include <boost/asio/ssl/context.hpp>

#include "harness/attachment.hpp"
#include "harness/tls_variants.hpp"
#include "harness/trace_builder.hpp"
#include "scenario/cursor.hpp"
#include "scenario/reply_script.hpp"
#include "scenario/script_policy.hpp"

namespace exosim::harness {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

struct Connection {
    TraceBuilder builder;
    milliseconds start{0};  // since arm()
    bool ended = false;
};

// One arm() .. next arm()/clear(). Sessions keep a shared_ptr to the run they started in, so a
// late session of an old run never lands in the new run's trace.
struct Run {
    std::shared_ptr<const scenario::Scenario> scenario;
    std::shared_ptr<scenario::Cursor> cursor;
    Clock::time_point armed_at = Clock::now();
    std::vector<Connection> connections;               // accept order
    std::unordered_map<std::string, std::size_t> by_id;  // session id -> index
    std::size_t active = 0;
    std::vector<std::string> errors;                   // the harness broke (TLS variant unavailable, ...)
    std::vector<scenario::IdentityRecord> identity;    // sign-in requests, in answer order
    std::int64_t identity_clock_start = 0;
    std::vector<scenario::ClockAdvance> advances;
    std::vector<milliseconds> job_starts;
    std::vector<std::string> tenant_names;
    std::string client_id;

    milliseconds now() const { return std::chrono::duration_cast<milliseconds>(Clock::now() - armed_at); }
};

}  // namespace

struct ScenarioSlot::State {
    explicit State(TenantOverrides o) : overrides(std::move(o)) {}

    mutable std::mutex mutex;
    mutable std::condition_variable changed;
    TenantOverrides overrides;
    std::shared_ptr<Run> run;  // the current or last run
    bool armed = false;
};

// Feeds the trace of the current run from every session's events.
class ScenarioSlot::Observer : public transport::SessionObserver {
public:
    explicit Observer(std::shared_ptr<State> state) : state_(std::move(state)) {}

    void on_session_event(const transport::SessionRecord& record, const transport::TimedEvent& event) override {
        if (std::holds_alternative<core::Event>(event.data)) return;  // verdicts come from the wire
        std::lock_guard lock(state_->mutex);
        if (Connection* c = find(record.id)) c->builder.add(event);
    }

    void on_session_ended(const transport::SessionRecord& record) override {
        {
            std::lock_guard lock(state_->mutex);
            Connection* c = find(record.id);
            if (!c || c->ended) return;
            auto end = record.ended.value_or(std::chrono::system_clock::now());
            c->builder.end(std::chrono::duration_cast<milliseconds>(end - record.started));
            c->ended = true;
            if (state_->run->active > 0) --state_->run->active;
        }
        state_->changed.notify_all();
    }

private:
    Connection* find(const std::string& id) {
        if (!state_->run) return nullptr;
        auto it = state_->run->by_id.find(id);
        return it == state_->run->by_id.end() ? nullptr : &state_->run->connections[it->second];
    }
    std::shared_ptr<State> state_;
};

namespace {

// One scripted session: ScriptPolicy around the profile policy, ReplyScript over its actions.
class ScriptedSession : public transport::SessionScript {
public:
    ScriptedSession(std::shared_ptr<const scenario::Scenario> scenario, std::shared_ptr<scenario::Cursor> cursor,
                    std::shared_ptr<boost::asio::ssl::context> tls)
        : scenario_(std::move(scenario)), cursor_(std::move(cursor)), tls_(std::move(tls)) {}

    std::unique_ptr<core::SessionPolicy> wrap(std::unique_ptr<core::SessionPolicy> profile) override {
        auto policy = std::make_unique<scenario::ScriptPolicy>(std::move(profile), scenario_, cursor_);
        script_.emplace(policy->session());
        return policy;
    }

    std::vector<core::Action> rewrite(const std::vector<core::Event>& events,
                                      std::vector<core::Action> actions) override {
        if (!script_) return actions;
        return script_->rewrite(events, std::move(actions));
    }

    std::shared_ptr<boost::asio::ssl::context> tls_context() override { return tls_; }

private:
    std::shared_ptr<const scenario::Scenario> scenario_;
    std::shared_ptr<scenario::Cursor> cursor_;
    std::shared_ptr<boost::asio::ssl::context> tls_;
    std::optional<scenario::ReplyScript> script_;
};

}  // namespace

class ScenarioSlot::Hook : public transport::SessionHook {
public:
    Hook(std::shared_ptr<State> state, transport::CertificateAuthority* ca) : state_(std::move(state)), tls_(ca) {}

    std::unique_ptr<transport::SessionScript> on_session_start(const transport::SessionRecord& record,
                                                               const transport::ListenerConfig& listener) override {
        std::shared_ptr<Run> run;
        {
            std::lock_guard lock(state_->mutex);
            if (!state_->armed || !state_->run) return nullptr;
            run = state_->run;
            // Only the scenario's endpoint is scripted and judged: a session on another listener
            // is not the client under test talking to the endpoint it was configured for.
            if (listener.name != run->scenario->endpoint) return nullptr;
            Connection c{TraceBuilder(record.id, record.listener),
                         std::chrono::duration_cast<milliseconds>(Clock::now() - run->armed_at)};
            run->by_id.emplace(record.id, run->connections.size());
            run->connections.push_back(std::move(c));
            ++run->active;
        }
        state_->changed.notify_all();
        std::shared_ptr<boost::asio::ssl::context> tls;
        try {
            tls = tls_.context_for(listener, run->scenario->server.tls);
        } catch (const std::exception& e) {
            // The session still runs (with the listener's certificate), but the verdict is error:
            // the client was not shown what the scenario asked for.
            std::lock_guard lock(state_->mutex);
            run->errors.push_back(e.what());
        }
        return std::make_unique<ScriptedSession>(run->scenario, run->cursor, std::move(tls));
    }

private:
    std::shared_ptr<State> state_;
    TlsVariants tls_;
};

ScenarioSlot::ScenarioSlot(transport::SessionRegistry& registry, TenantOverrides overrides)
    : state_(std::make_shared<State>(std::move(overrides))), registry_(registry) {
    subscription_ = registry_.subscribe(std::make_shared<Observer>(state_));
}

ScenarioSlot::~ScenarioSlot() { registry_.unsubscribe(subscription_); }

void ScenarioSlot::arm(std::shared_ptr<const scenario::Scenario> scenario) {
    if (!scenario) throw std::invalid_argument("no scenario to arm");
    // Overrides first: a session accepted right after arm() must see the scenario's tenant.
    if (state_->overrides) {
        state_->overrides({});
        if (!scenario->tenant.empty()) state_->overrides(scenario->tenant);
    }
    auto run = std::make_shared<Run>();
    run->scenario = scenario;
    run->cursor = std::make_shared<scenario::Cursor>(scenario);
    {
        std::lock_guard lock(state_->mutex);
        state_->run = std::move(run);
        state_->armed = true;
    }
    state_->changed.notify_all();
}

void ScenarioSlot::clear() {
    {
        std::lock_guard lock(state_->mutex);
        state_->armed = false;
    }
    if (state_->overrides) state_->overrides({});
    state_->changed.notify_all();
}

std::shared_ptr<const scenario::Scenario> ScenarioSlot::armed() const {
    std::lock_guard lock(state_->mutex);
    return state_->armed && state_->run ? state_->run->scenario : nullptr;
}

scenario::Trace ScenarioSlot::trace() const {
    std::lock_guard lock(state_->mutex);
    scenario::Trace trace;
    if (!state_->run) return trace;
    for (const Connection& c : state_->run->connections) {
        trace.connections.push_back(c.builder.trace());
        trace.connections.back().start = c.start;
    }
    trace.identity = state_->run->identity;
    trace.identity_clock_start = state_->run->identity_clock_start;
    trace.clock_advances = state_->run->advances;
    trace.job_starts = state_->run->job_starts;
    trace.tenant_names = state_->run->tenant_names;
    trace.client_id = state_->run->client_id;
    return trace;
}

void ScenarioSlot::record_identity(scenario::IdentityRecord record) {
    std::lock_guard lock(state_->mutex);
    if (!state_->armed || !state_->run) return;
    record.t = state_->run->now();
    state_->run->identity.push_back(std::move(record));
}

void ScenarioSlot::set_identity_clock(std::int64_t unix_seconds) {
    std::lock_guard lock(state_->mutex);
    if (state_->run) state_->run->identity_clock_start = unix_seconds;
}

void ScenarioSlot::set_identity_expectations(std::vector<std::string> tenant_names, std::string client_id) {
    std::lock_guard lock(state_->mutex);
    if (!state_->run) return;
    state_->run->tenant_names = std::move(tenant_names);
    state_->run->client_id = std::move(client_id);
}

void ScenarioSlot::record_clock_advance(std::chrono::seconds by) {
    std::lock_guard lock(state_->mutex);
    if (state_->run) state_->run->advances.push_back({state_->run->now(), by});
}

void ScenarioSlot::record_job_start() {
    std::lock_guard lock(state_->mutex);
    if (state_->run) state_->run->job_starts.push_back(state_->run->now());
}

milliseconds ScenarioSlot::since_arm() const {
    std::lock_guard lock(state_->mutex);
    return state_->run ? state_->run->now() : milliseconds(0);
}

std::vector<milliseconds> ScenarioSlot::connection_starts() const {
    std::lock_guard lock(state_->mutex);
    std::vector<milliseconds> starts;
    if (!state_->run) return starts;
    for (const Connection& c : state_->run->connections) starts.push_back(c.start);
    return starts;
}

std::size_t ScenarioSlot::connections() const {
    std::lock_guard lock(state_->mutex);
    return state_->run ? state_->run->connections.size() : 0;
}

std::size_t ScenarioSlot::active_sessions() const {
    std::lock_guard lock(state_->mutex);
    return state_->run ? state_->run->active : 0;
}

bool ScenarioSlot::wait_idle(std::size_t min_connections, milliseconds timeout) const {
    std::unique_lock lock(state_->mutex);
    return state_->changed.wait_for(lock, timeout, [&] {
        const auto& run = state_->run;
        if (!run) return min_connections == 0;
        return run->active == 0 && run->connections.size() >= min_connections;
    });
}

std::vector<std::string> ScenarioSlot::errors() const {
    std::lock_guard lock(state_->mutex);
    return state_->run ? state_->run->errors : std::vector<std::string>{};
}

scenario::Findings ScenarioSlot::judge(const scenario::JudgeOptions& options) const {
    std::shared_ptr<const scenario::Scenario> scenario;
    std::vector<std::string> errors;
    {
        std::lock_guard lock(state_->mutex);
        if (state_->run) {
            scenario = state_->run->scenario;
            errors = state_->run->errors;
        }
    }
    if (!scenario) {
        scenario::Findings f;
        f.verdict = scenario::Verdict::error;
        f.error = "no scenario was armed";
        return f;
    }
    scenario::JudgeOptions opts = options;
    if (opts.connection_starts.empty()) opts.connection_starts = connection_starts();
    // Armed through the control API nobody resolved send.attachment: do it here, so
    // attachment-intact is judged there too.
    if (!opts.attachment && scenario->send.attachment) {
        auto expected = expected_attachment(*scenario);
        opts.attachment = [expected](const std::string&) { return expected; };
    }
    scenario::Findings findings = scenario::judge(*scenario, trace(), opts);
    if (!errors.empty()) {
        findings.verdict = scenario::Verdict::error;
        std::string joined;
        for (const auto& e : errors) joined += (joined.empty() ? "" : "; ") + e;
        findings.error = findings.error.empty() ? joined : findings.error + "; " + joined;
    }
    return findings;
}

std::shared_ptr<transport::SessionHook> ScenarioSlot::session_hook(transport::CertificateAuthority* ca) {
    return std::make_shared<Hook>(state_, ca);
}

}  // namespace exosim::harness
