#pragma once
// exosim's configuration: plain data loaded from YAML (the embedded default, then an optional
// file whose top-level sections replace the default's), then CLI overrides. Invalid
// configuration is a ConfigError naming file, line and key, before anything is served.
#include <cstddef>
#include <cstdint>
#include <chrono>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/session_policy.hpp"
#include "policy/exchange_online/environment.hpp"
#include "policy/tenant.hpp"
#include "policy/throttle.hpp"
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
// Section `control:`: the HTTP control API (mockserver/control), loopback by default.
struct ControlConfig {
    bool enabled = true;
    std::string address = "127.0.0.1";
    std::uint16_t port = 8025;  // 0: any free port (--ephemeral-ports)
};
// Section `identity:`: the sign-in service (Microsoft Entra ID stand-in) on HTTPS, TLS 1.2-1.3,
// with the CA's certificate for login.microsoftonline.com and its aliases.
struct IdentityConfig {
    bool enabled = true;
    std::string address = "127.0.0.1";
    std::uint16_t port = 1443;  // --real-ports: 443; 0: any free port (--ephemeral-ports)
    // Unconfirmed values (reference entra-id-oauth.md §3) and lab conveniences; README lists them.
    std::string verification_uri = "https://microsoft.com/devicelogin";  // or https://www.microsoft.com/link
    std::string mfa_code = "123456";  // the code the MFA step of the sign-in pages asks for
    // Approve device codes and sign-ins as this user after `auto_approve_delay` (CI without a person).
    std::string auto_approve_user;  // empty: a person (or the control API) approves
    std::chrono::seconds auto_approve_delay{5};
};
// Throttles and token expiry run on the wall clock, or on a virtual clock that only the control
// API moves (POST /api/v1/clock/advance), so tests cross a day without sleeping.
enum class ClockMode { real, virtual_clock };

struct AppConfig {
    std::filesystem::path data_dir = "./exosim-data";
    store::CaptureMode capture = store::CaptureMode::disk;
    std::vector<transport::ListenerConfig> listeners;
    std::vector<policy::Account> accounts;
    transport::AddressMap address_map = transport::AddressMap::defaults();
    std::size_t threads = 0;  // 0: one per CPU
    core::BareLineEnding bare_line_endings = core::BareLineEnding::reject;
    PregreetMode pregreet = PregreetMode::log;
    ControlConfig control;
    IdentityConfig identity;
    // Exchange Online emulation (config_exchange.cpp loads, config_exchange_emit.cpp emits).
    ClockMode clock = ClockMode::real;
    policy::exo::ExoSettings exchange;   // section `exchange:` (also every unconfirmed value)
    policy::ThrottleLimits throttle;     // section `exchange: {limits: ...}`
    // Sections `tenants:`, `blocked_ips:`, `spf_records:`; the address map stays `address_map`
    // above (the transport applies it) and is copied into the directory by ExchangeRuntime.
    policy::Directory directory;
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
