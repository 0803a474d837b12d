#pragma once
// The `exosim certify` run loop for one scenario against a running server: arm the slot, make
// the client send (a command per attempt, a person, or an HTTP trigger), wait until its sessions
// are over, judge the trace, record. The server itself, the reports and the command line live in
// app/certify.cpp; this part only needs the slot and a way to reach each listener.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/scenario_slot.hpp"
#include "scenario/model.hpp"
#include "scenario/results.hpp"

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
    std::filesystem::path ca_file;            // {ca}
    std::filesystem::path client_cert;        // {client_cert}
    std::filesystem::path client_key;         // {client_key}
    std::filesystem::path exosim_client;      // {exosim_client}
    std::filesystem::path work_dir;           // generated attachments go here
    // Endpoint of a listener by name; nullopt: no such listener.
    std::function<std::optional<Endpoint>(const std::string& listener)> endpoint;
    // XOAUTH2 token for a user ({token}); unset: a fixed test token.
    std::function<std::string(const std::string& user)> mint_token;
    std::ostream* progress = nullptr;    // progress lines (manual prompt, waiting); null: silent
};

// The placeholder values for one attempt (see command_template.hpp). `attachment` is the path
// prepared for the scenario ("" when none).
std::map<std::string, std::string> placeholder_values(const scenario::Scenario& scenario, const Endpoint& endpoint,
                                                      const RunnerOptions& options, unsigned attempt,
                                                      const std::string& attachment, const std::string& token);

// The argument list for exosim-client that makes it do what the scenario asks ({exosim_client_args}).
std::string reference_client_args(const scenario::Scenario& scenario, const Endpoint& endpoint,
                                   const RunnerOptions& options, const std::string& attachment,
                                   const std::string& token);

// Resolves send.attachment: a path relative to the scenario file, or "generated:pdf" (a small
// valid PDF written under `work_dir`). Returns the file path; throws std::runtime_error when the
// file is missing or the kind unknown.
std::filesystem::path prepare_attachment(const scenario::Scenario& scenario, const std::filesystem::path& work_dir);

// Runs one scenario to its verdict. Never throws for client or scenario problems: those become
// verdict error with the reason.
scenario::RunResult run_scenario(ScenarioSlot& slot, std::shared_ptr<const scenario::Scenario> scenario,
                                 const RunnerOptions& options);

// The HTTP request of --trigger-url (plain http only). Returns the status code; throws
// std::runtime_error with the reason when the request fails.
int http_trigger(const std::string& url, const std::string& method, std::chrono::milliseconds timeout);

}  // namespace exosim::harness
