#pragma once
// `exosim certify`: runs scenarios against a client (a command per attempt, a person with a
// device, or an HTTP trigger) on an in-process server, judges each run from the wire, and writes
// junit.xml, results.json and report.html. Exit 0 when every scenario's verdict is as expected,
// 1 otherwise (also when the server cannot start), 2 for usage errors and unloadable scenarios.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "scenario/shard.hpp"

namespace exosim::app {

struct CertifyOptions {
    std::optional<std::string> suite;              // NAME (scenarios/suites/NAME.yaml) or a file
    std::vector<std::filesystem::path> scenarios;  // --scenario FILE...
    std::optional<std::string> client;             // command template
    bool manual = false;
    std::optional<std::string> trigger_url;
    std::string trigger_method = "GET";
    std::filesystem::path out = "exosim-report";
    std::optional<std::filesystem::path> config_file;
    std::optional<std::filesystem::path> data_dir;      // default: a temporary directory, removed after
    std::optional<std::string> bind;                    // every listener on this address (a lab interface)
    bool real_ports = false;                            // --manual: 587/25/465 instead of 1587/1025/1465
    std::optional<std::filesystem::path> scenarios_dir;  // default: ./scenarios, else the source tree's
    std::optional<std::chrono::seconds> timeout;        // per attempt (default 60 s; manual 300 s)
    std::chrono::seconds client_timeout{5};             // {exosim_client_args} --timeout
    std::optional<std::string> filter;                  // id or tag substring
    // Scenarios run at once, each on its own server. nullopt: default_jobs() for --client, 1 for
    // a device (--manual, --trigger-url: one device is one device; more is a usage error).
    std::optional<unsigned> jobs;
    std::optional<scenario::Shard> shard;               // --shard I/N: only this part of the selection
    bool evidence = false;  // --evidence: ClientHello lines in the report, key logs in <out>/evidence
    bool list_rules = false;
    bool help = false;
};

// `args` excludes the program name and the command word. Throws UsageError.
CertifyOptions parse_certify_options(const std::vector<std::string>& args);
std::string certify_help();

int certify(const CertifyOptions& options);

// More workers than this is a typo: each is a server with its own threads and listeners.
inline constexpr unsigned max_jobs = 64;
// --jobs for a --client command when none is given: see certify.cpp (client commands mostly wait).
unsigned default_jobs();
// The workers a run uses: --jobs, or the default for its mode.
unsigned effective_jobs(const CertifyOptions& options);

}  // namespace exosim::app
