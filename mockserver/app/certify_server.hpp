#pragma once
// The server `exosim certify` runs scenarios on: configured listeners on free ports (a device in
// manual mode needs the configured ones), messages in memory and no AUTH tarpit unless a
// configuration says otherwise, and the scenario slot hooked into every session. `--jobs N` runs
// N of them side by side, one per worker: each has its own listeners, data directory, Exchange
// runtime (tenant overrides, throttles, lockouts, virtual clock), registry and slot, so nothing a
// scenario changes is seen by a scenario on another worker. Their CAs are copies of one (see
// seed_tls_dir), so a client trusts every worker's certificates alike.
#include <filesystem>
#include <memory>
#include <optional>

#include "app/certify.hpp"
#include "app/config.hpp"
#include "app/exchange_runtime.hpp"
#include "app/certify_identity.hpp"
#include "app/identity_runtime.hpp"
#include "harness/run_options.hpp"
#include "harness/scenario_slot.hpp"
#include "store/message_store.hpp"
#include "transport/certs.hpp"
#include "transport/registry.hpp"
#include "transport/server.hpp"

namespace exosim::app {

class CertifyServer {
public:
    // Started and listening on return. `data_dir` is created; its tls/ holds the CA (created when
    // missing). Throws std::runtime_error (and ConfigError) when it cannot start.
    // `evidence_dir`: where TLS key logs go (certify --evidence); nullopt: none.
    CertifyServer(AppConfig config, const std::filesystem::path& data_dir,
                  std::optional<std::filesystem::path> evidence_dir = std::nullopt);
    ~CertifyServer();  // graceful shutdown (CertifyServer's grace), then every thread joined
    CertifyServer(const CertifyServer&) = delete;
    CertifyServer& operator=(const CertifyServer&) = delete;

    // Before each scenario: the Exchange state back to the configuration (throttle counters,
    // lockouts, the clock: ExchangeRuntime::reset), so a scenario's verdict does not depend on
    // which scenarios ran before it on this worker; and the certificate variant the scenario's
    // endpoint will serve (server.tls.certificate) issued before its client starts: generated at session start instead, its RSA key would delay the
    // greeting by up to seconds on a busy machine, long enough for some clients to time out.
    // Problems are left for the session to report as the scenario's error.
    void prepare(const scenario::Scenario& scenario);

    harness::ScenarioSlot& slot() { return slot_; }
    transport::Server& server() { return *server_; }
    transport::CertificateAuthority& ca() { return ca_; }
    const std::filesystem::path& data_dir() const { return data_dir_; }
    std::shared_ptr<ExchangeRuntime> exchange() const { return exchange_; }
    const AppConfig& config() const { return config_; }
    // The worker's sign-in service and its listener (issue 13).
    CertifyIdentity& identity() { return *identity_; }

private:
    AppConfig config_;
    std::filesystem::path data_dir_;
    transport::CertificateAuthority ca_;
    std::shared_ptr<ExchangeRuntime> exchange_;
    store::MessageStore store_;
    transport::SessionRegistry registry_;
    harness::ScenarioSlot slot_;
    // The worker's own sign-in service: the tokens scenarios hand a client ({token}) are its RS256
    // tokens, verified by this worker's submission endpoint; a client that gets its own token
    // ({authority}, {identity_address}) gets it from this service's listener, and every request
    // it makes goes into the scenario's trace.
    std::unique_ptr<CertifyIdentity> identity_;
    std::unique_ptr<transport::Server> server_;
};

// Copies the CA, intermediate and issued certificates of `from` (a tls/ directory) into `to`, so
// a worker starts with the run's CA without generating one. Each worker then issues certificate
// variants under its own directory lock: a shared directory would make every scripted-TLS session
// wait behind another worker's RSA key generation (seconds on a busy machine: enough for a
// client to time out waiting for the greeting). Throws std::filesystem::filesystem_error.
// The sign-in service's signing key and the Scan Daemon's certificate (tls/identity-signing/,
// tls/apps/) are copied too, so a worker's IdentityRuntime makes no RSA key of its own.
void seed_tls_dir(const std::filesystem::path& from, const std::filesystem::path& to);
// Makes the run's CA, default certificates, sign-in signing key and app certificate once, in `tls_dir`.
void seed_run_keys(const std::filesystem::path& tls_dir);

// The configuration certify serves: --config or the embedded one (capture in memory, no AUTH
// tarpit), --bind/--real-ports applied, free ports for a --client command.
AppConfig certify_config(const CertifyOptions& options);

// How the run loop reaches `server`: its endpoints, CA, client certificates and tokens, the client
// command or trigger, timeouts. Progress lines go to `progress` (may be null).
harness::RunnerOptions runner_options(const CertifyOptions& options, CertifyServer& server, std::ostream* progress);

}  // namespace exosim::app
