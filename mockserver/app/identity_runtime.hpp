#pragma once
// The sign-in service of one exosim process (serve, each certify worker, `exosim token`): the
// protocol core (identity::IdentityService) over its I/O parts (persisted signing keys, the
// refresh-token journal, the Exchange clock), attached to the Exchange runtime so XOAUTH2 on the
// submission endpoints verifies its RS256 tokens and every minted token is one of them.
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/exchange_runtime.hpp"
#include "app/identity_listener.hpp"
#include "identity/identity_service.hpp"
#include "transport/certs.hpp"

namespace exosim::app {

class IdentityRuntime {
public:
    using Observer = std::function<void(const identity::IdentityEvent&)>;

    // Builds the service over <data_dir> (keys, journal, the Scan Daemon's certificate) and the
    // runtime's directory and clock, then attaches it to `exchange`. Throws std::runtime_error
    // when keys or the journal cannot be read or created.
    // `clock` (certify: a clock the scenario may move forward) replaces the Exchange clock;
    // `settings` (certify: a scenario's access-token lifetime) replaces identity_settings(config).
    IdentityRuntime(const AppConfig& config, const std::filesystem::path& data_dir, ExchangeRuntime& exchange,
                    transport::CertificateAuthority& ca, std::shared_ptr<const policy::Clock> clock = nullptr,
                    std::optional<identity::IdentitySettings> settings = std::nullopt);
    IdentityRuntime(const IdentityRuntime&) = delete;
    IdentityRuntime& operator=(const IdentityRuntime&) = delete;

    identity::IdentityService& service() { return *service_; }
    // The HTTPS listener's handler (request -> service).
    control::HttpHandler handler();
    // Every request from now on also goes to `observer` (the control API's log, stream, metrics).
    void subscribe(Observer observer);
    // Lines for the startup output: tenant ids, default apps, the MFA code, the app certificate.
    std::vector<std::string> startup_lines() const;

private:
    void observe(const identity::IdentityEvent& event);

    IdentityParts parts_;
    std::unique_ptr<identity::IdentityService> service_;
    std::mutex observers_mutex_;
    std::vector<Observer> observers_;
};

// The settings of the `identity:` config section applied over the defaults.
identity::IdentitySettings identity_settings(const AppConfig& config);

}  // namespace exosim::app
