#pragma once
// The scenario armed on a running server (control API `POST /api/scenario`, `exosim certify`):
// scripted behaviour for sessions that start while it is armed, and the trace of those sessions
// for the verdict. One per server; the transport asks it at every session start (session_hook()),
// the registry feeds it every session's events.
//
// A run begins with arm(): a fresh Cursor (attempt numbering, rule `times`, seeded RNG), an empty
// trace and the scenario's tenant overrides applied. Sessions that started before arm() keep
// whatever they had and are not part of the run's trace.
#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "scenario/model.hpp"
#include "scenario/trace.hpp"
#include "scenario/verdict.hpp"
#include "transport/registry.hpp"
#include "transport/server.hpp"

namespace exosim::transport {
class CertificateAuthority;
}

namespace exosim::harness {

// Thread-safe: the control API, the certify runner and every session thread call it concurrently.
class ScenarioSlot {
public:
    // Applies a scenario's `tenant:` map to the running exchange profile; an empty map resets
    // them (ExchangeRuntime::apply_overrides / reset_overrides). May be empty (no-op).
    using TenantOverrides = std::function<void(const std::map<std::string, std::string>&)>;

    // Subscribes to `registry` (which must outlive the slot) for the trace.
    ScenarioSlot(transport::SessionRegistry& registry, TenantOverrides overrides);
    ~ScenarioSlot();
    ScenarioSlot(const ScenarioSlot&) = delete;
    ScenarioSlot& operator=(const ScenarioSlot&) = delete;

    // New run: cursor, trace cleared, overrides applied. Throws std::invalid_argument for a null
    // scenario.
    void arm(std::shared_ptr<const scenario::Scenario> scenario);
    // Disarm, overrides reset. The trace of the last run stays readable until the next arm().
    void clear();
    std::shared_ptr<const scenario::Scenario> armed() const;

    // Connections of the current run, in accept order (attempt 1, 2, ...), including active ones
    // as far as they got.
    scenario::Trace trace() const;
    // Start of each connection since arm(), same order as trace() (JudgeOptions::connection_starts).
    std::vector<std::chrono::milliseconds> connection_starts() const;
    std::size_t connections() const;       // sessions of the current run, active or ended
    std::size_t active_sessions() const;   // sessions of the current run still open

    // Waits until at least `min_connections` sessions of the run have ended and none is active.
    // False on timeout.
    bool wait_idle(std::size_t min_connections, std::chrono::milliseconds timeout) const;
    // Judges the armed (or last armed) scenario against trace(); connection_starts are filled in
    // when `options` has none. Verdict error with a reason when nothing was ever armed.
    scenario::Findings judge(const scenario::JudgeOptions& options = {}) const;
    // A request to the sign-in service during the current run; its `t` is set here (since arm()).
    // Ignored when nothing is armed.
    void record_identity(scenario::IdentityRecord record);
    // The sign-in clock at arm() (Unix seconds), a forward move of it, the start of a client job.
    void set_identity_clock(std::int64_t unix_seconds);
    // The tenant names (GUID, domains) and client id the client was configured with.
    void set_identity_expectations(std::vector<std::string> tenant_names, std::string client_id);
    void record_clock_advance(std::chrono::seconds by);
    void record_job_start();
    // Milliseconds since the current run was armed (0 when none).
    std::chrono::milliseconds since_arm() const;

    // What went wrong on the harness side in this run (a certificate variant it could not make);
    // judge() turns any of these into verdict error.
    std::vector<std::string> errors() const;

    // For the transport (ServerOptions::session_hook): wraps the profile policy of sessions that
    // start while a scenario is armed. `ca` (may be null) makes the scenario's certificate variants.
    std::shared_ptr<transport::SessionHook> session_hook(transport::CertificateAuthority* ca = nullptr);

private:
    struct State;
    class Observer;
    class Hook;
    std::shared_ptr<State> state_;
    transport::SessionRegistry& registry_;
    transport::SessionRegistry::SubscriptionId subscription_ = 0;
};

}  // namespace exosim::harness
