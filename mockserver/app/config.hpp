#pragma once
// exosim's configuration: plain data loaded from YAML (the embedded default, then an optional
// file whose top-level sections replace the default's), then CLI overrides. Invalid
// configuration is a ConfigError naming file, line and key, before anything is served.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/session_policy.hpp"
#include "policy/rfc_policy.hpp"
#include "store/message_store.hpp"
#include "transport/address_map.hpp"
#include "transport/listener_config.hpp"

namespace exosim::app {

class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class PregreetMode { reject, log };

struct AppConfig {
    std::filesystem::path data_dir = "./exosim-data";
    store::CaptureMode capture = store::CaptureMode::disk;
    std::vector<transport::ListenerConfig> listeners;
    std::vector<policy::Account> accounts;
    transport::AddressMap address_map = transport::AddressMap::defaults();
    std::size_t threads = 0;  // 0: one per CPU
    core::BareLineEnding bare_line_endings = core::BareLineEnding::reject;
    PregreetMode pregreet = PregreetMode::log;
    // EXTENSION POINT (Exchange Online): tenants, connectors, clock, tarpit, ... get typed members
    // here, a loader row in config.cpp's section table, and an emitter in config_emit.cpp.
};

// The YAML compiled into the binary (app/default_config.yaml).
std::string_view embedded_default_config();

// Loads `text` (named `source` in messages) over `base`: each top-level key present replaces
// that section of `base`. Throws ConfigError.
AppConfig load_config_text(std::string_view text, const std::string& source, AppConfig base = {});
// The embedded default, then `file` over it when given.
AppConfig load_config(const std::optional<std::filesystem::path>& file);

// Checks that hold across sections (unique listener names, known profiles); throws ConfigError.
void validate(const AppConfig& config);

// The configuration as YAML that load_config_text accepts (for --print-config).
std::string to_yaml(const AppConfig& config);

std::string_view capture_name(store::CaptureMode mode);
std::string_view tls_version_text(core::TlsVersion v);  // "1.2"

}  // namespace exosim::app
