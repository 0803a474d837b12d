#pragma once
// The one Exchange Online environment of an `exosim serve` process: the tenant directory from the
// configuration, the clock (real or virtual), the shared submission state (throttles, lockouts)
// and the XOAUTH2 token verifier (the sign-in service's, attached by app::IdentityRuntime), plus the operations the control API and the scenario harness perform on
// them. Sessions capture environment() once (shared_ptr<const ...>); every change builds a new
// immutable Environment and swaps it under a mutex, so a change applies to new sessions only.
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "app/config.hpp"
#include "policy/exchange_online/environment.hpp"
#include "policy/token.hpp"
#include "policy/virtual_clock.hpp"

namespace exosim::app {

// The one Exchange Online environment of a process and the operations the control API and the
// scenario harness perform on it. Thread-safe: called from control and I/O threads.
class ExchangeRuntime {
public:
    // Throws std::invalid_argument on an unservable directory. XOAUTH2 refuses every token until
    // attach_tokens() (app::IdentityRuntime does it in serve, certify workers and `exosim token`).
    explicit ExchangeRuntime(const AppConfig& config);

    std::shared_ptr<const policy::exo::Environment> environment() const;  // for new sessions
    bool virtual_clock() const;
    std::chrono::system_clock::time_point now() const;
    // The clock throttles and tokens run on (virtual or real); the sign-in service shares it, so
    // advancing the virtual clock also ages tokens, codes and key grace periods.
    std::shared_ptr<const policy::Clock> clock() const { return clock_; }
    void advance_clock(std::chrono::seconds by);  // throws std::logic_error on a real clock
    std::string mint_token(const std::string& user, std::chrono::seconds ttl,
                           const std::string& audience = "https://outlook.office.com") const;
    // Throws std::invalid_argument for a user that is not an address or a ttl <= 0, and
    // std::logic_error when no sign-in service is attached.
    // The sign-in service's tokens (app/identity_runtime): XOAUTH2 verifies with `verifier` and
    // mint_token() mints through `minter` (RS256). Applies to new sessions.
    using TokenMinter = std::function<std::string(const std::string& user, std::chrono::seconds ttl,
                                                  const std::string& audience)>;
    void attach_tokens(std::shared_ptr<const policy::TokenVerifier> verifier, TokenMinter minter);
    boost::json::value tenants_json() const;  // the directory as JSON (passwords omitted)
    // Patch one tenant (settings, mailbox fields) from JSON; unknown keys -> std::invalid_argument
    // with a clear message. Applies to new sessions.
    void patch_tenant(const std::string& domain, const boost::json::value& patch);
    // Scenario `tenant:` overrides (flat "key": "value" map, keys documented in
    // scenarios/schema/README.md, e.g. "smtp_auth_disabled", "mailbox.scanner@contoso.com.smtp_auth",
    // "reject_direct_send", "basic_auth_retired", "allow_legacy_tls", "security_defaults",
    // "reply_style", "recipients_sent_today.printer@contoso.com", "messages_this_minute..." ...):
    // apply on top of the configured directory; reset_overrides() returns to the configuration.
    // Unknown keys or bad values -> std::invalid_argument (nothing applied).
    void apply_overrides(const std::map<std::string, std::string>& overrides);
    // PATCH /api/v1/config {"exchange": {...}}: keys of the YAML `exchange:` section merged over the
    // current values and decoded by the configuration loader (same names, same checks). Applies to
    // new sessions; `limits` need a restart (the throttle state holds them). Bad keys or values ->
    // std::invalid_argument naming the key, nothing applied.
    void patch_settings(const boost::json::value& patch);
    void reset_overrides();
    void reset();  // throttles, lockouts, clock offset, overrides

private:
    void publish_locked(std::shared_ptr<const policy::Directory> directory);

    policy::exo::ExoSettings settings_;
    std::shared_ptr<policy::SubmissionState> submission_;
    std::shared_ptr<const policy::TokenVerifier> tokens_;  // what XOAUTH2 checks with (null: refuse all)
    TokenMinter minter_;
    std::shared_ptr<policy::VirtualClock> virtual_clock_;  // null on a real clock
    std::shared_ptr<const policy::Clock> clock_;

    mutable std::mutex mutex_;
    std::shared_ptr<const policy::Directory> configured_;  // the directory as configured (+ patches)
    std::shared_ptr<const policy::Directory> current_;     // configured_ + scenario overrides
    std::shared_ptr<const policy::exo::Environment> environment_;
    std::map<std::string, std::string> overrides_;  // the scenario overrides in force
};

}  // namespace exosim::app
