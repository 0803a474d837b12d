#pragma once
// The `exosim` command line: `serve` now; `certify`, `token`, `ca` join the dispatch table later.
// Usage errors exit 2, configuration and start-up errors 1.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/config.hpp"

namespace exosim::app {

class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct ServeOptions {
    std::optional<std::filesystem::path> config_file;
    std::optional<std::filesystem::path> data_dir;
    std::optional<std::string> bind;      // overrides every listener's address
    bool real_ports = false;              // 1587->587, 1025->25, 1465->465
    bool ephemeral_ports = false;         // every listener on port 0 (tests)
    std::optional<std::string> control;   // control API "ADDR:PORT" (or "PORT" on 127.0.0.1)
    bool no_control = false;              // do not start the control API
    std::optional<std::string> identity;  // sign-in service "ADDR:PORT" (or "PORT" on 127.0.0.1)
    bool no_identity = false;             // do not start the sign-in service
    std::optional<store::CaptureMode> capture;
    std::optional<std::size_t> threads;
    bool print_config = false;
    bool help = false;
    // Device lab kit (docs/notes/labkit.md): the DNS stub, and per-session TLS evidence.
    bool dns = false;       // --dns: UDP+TCP 1053 (53 with --real-ports) on --bind's address
    bool evidence = false;  // --evidence: <data-dir>/evidence/ key logs, ClientHello notes, pcap
};

// `args` excludes the program name and the command word. Throws UsageError.
ServeOptions parse_serve_options(const std::vector<std::string>& args);
// Applies the command-line overrides to a loaded configuration.
void apply_overrides(AppConfig& config, const ServeOptions& options);
// --bind and --real-ports (serve and certify): every listener and the sign-in service on `bind`;
// 1587->587, 1025->25, 1465->465, 1443->443 (other ports unchanged).
void apply_listener_overrides(AppConfig& config, const std::optional<std::string>& bind, bool real_ports);

// Entry point: returns the process exit status.
int run_cli(int argc, char** argv);

}  // namespace exosim::app
