#pragma once
// How `exosim certify` reaches the client under test and the server it runs: what the run loop
// (certify_runner), the placeholder values (client_values) and the manual prompt share.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <utility>

#include "scenario/model.hpp"

namespace exosim::harness {

enum class TriggerMode { client, manual, url };

struct Endpoint {
    std::string host;      // what the client connects to ("127.0.0.1")
    std::uint16_t port = 0;
    bool tls = true;       // the listener offers TLS (STARTTLS or implicit)
    // The name its certificate is issued for ("smtp.office365.com"): {servername} when the
    // scenario names none. Empty: the host.
    std::string servername;
};

// What a client that gets its own token is configured with (issue 13 "send.auth: xoauth2 without a
// pre-minted token"): the {authority}, {identity_address}, ... placeholders.
struct IdentityValues {
    std::string authority;          // https://login.microsoftonline.com/<tenant>
    std::string identity_address;   // host:port of the worker's sign-in listener
    std::string tenant_id;          // GUID (or the tenant as the scenario names it when unknown)
    std::string client_id;
    std::string client_secret;
    std::string app_cert;           // the app's certificate (PEM chain) for certificate credentials
    std::string app_key;
    std::string scope;              // space-separated
    std::string token_cache;        // a file the client keeps its tokens in across jobs
    std::string oauth_flow;         // exosim-client --oauth: device-code | client-credentials | auth-code; "" none
};

// The worker's sign-in service as a scenario run drives it (app/certify_identity). Every member
// may be unset (a runner without a sign-in service: identity scenarios are then a harness error).
struct IdentityDriver {
    // After arm(): the scenario's identity faults applied, device-code approval started. Throws
    // std::runtime_error when the scenario cannot be set up.
    std::function<void(const scenario::Scenario&)> start;
    // Before job `job` (2, 3, ...): identity.between_jobs applied.
    std::function<void(const scenario::Scenario&, unsigned job)> between_jobs;
    // End of the run: approval stopped.
    std::function<void()> stop;
    // The placeholder values for a scenario.
    std::function<IdentityValues(const scenario::Scenario&)> values;
};

struct RunnerOptions {
    TriggerMode mode = TriggerMode::client;
    std::string command;                 // --client template (checked by the caller)
    std::string trigger_url;             // --trigger-url
    std::string trigger_method = "GET";  // GET or POST
    // Per attempt: the client command's timeout; in manual / trigger mode how long to wait for the
    // device's session.
    std::chrono::milliseconds attempt_timeout{std::chrono::seconds(60)};
    // After the client exited: how long its sessions may take to end (the server sees its close).
    std::chrono::milliseconds idle_timeout{std::chrono::seconds(10)};
    // The reference client's cap on its own timeouts ({exosim_client_args} --timeout): stall
    // scenarios take this long per attempt. Keep it below attempt_timeout.
    std::chrono::milliseconds client_timeout{std::chrono::seconds(5)};
    // Before the harness re-runs a client that stopped with the message deferred: this long
    // before run 2, doubled for every further run. A client that does not retry by itself gets
    // the spool a device would have, so the backoff the verdict measures is steady rather than
    // process start-up noise.
    std::chrono::milliseconds rerun_backoff{200};
    std::filesystem::path ca_file;            // {ca}
    std::filesystem::path client_cert;        // {client_cert} when the scenario names no send.client_certificate
    std::filesystem::path client_key;         // {client_key}
    // Client certificate (chain, key) for a name, signed by exosim's CA: send.client_certificate.
    // Unset: such scenarios are a harness error.
    std::function<std::pair<std::filesystem::path, std::filesystem::path>(const std::string& name)> client_certificate;
    std::filesystem::path exosim_client;      // {exosim_client}
    std::filesystem::path work_dir;           // generated attachments go here
    // Endpoint of a listener by name; nullopt: no such listener.
    std::function<std::optional<Endpoint>(const std::string& listener)> endpoint;
    // XOAUTH2 token for a user ({token}); unset: a fixed test token.
    std::function<std::string(const std::string& user)> mint_token;
    std::ostream* progress = nullptr;    // progress lines (manual prompt, waiting); null: silent
    IdentityDriver identity;
};

}  // namespace exosim::harness
