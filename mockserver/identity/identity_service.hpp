#pragma once
// The offline Microsoft Entra ID stand-in (issue 14): one HTTP request in, one response out, plus
// the control operations the control API and scenarios call. Thread-safe (one mutex). No I/O: the
// clock, randomness, keys and durability are injected.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "identity/crypto.hpp"
#include "identity/durable_log.hpp"
#include "identity/http_message.hpp"
#include "identity/identity_directory.hpp"
#include "identity/identity_event.hpp"
#include "identity/settings.hpp"
#include "policy/clock.hpp"
#include "policy/token.hpp"

namespace exosim::identity {

struct ServiceState;

// A device code waiting for its user (control API "pending device codes").
struct PendingDeviceCode {
    std::string user_code;
    std::string client_id;
    std::string app_name;
    std::string scope;
    std::chrono::system_clock::time_point created;
    std::chrono::system_clock::time_point expires;
};

enum class ControlStatus { ok, not_found, unknown_user, unknown_app, unknown_tenant, invalid };
std::string_view control_status_name(ControlStatus s);

// A user's sign-in state change; unset fields stay as they are.
struct SignInChange {
    std::optional<bool> mfa_required;
    std::optional<bool> disabled;
    std::optional<bool> password_expired;
    std::optional<bool> locked;
    std::optional<bool> ca_blocked;
    std::optional<std::optional<std::chrono::seconds>> sign_in_frequency;
    std::optional<std::string> new_password;  // also revokes the user's refresh tokens (AADSTS50173)
};

// Token endpoint faults (issue 14 "Faults"): the next `count` token requests (0: until cleared).
struct TokenEndpointFault {
    unsigned status = 0;                       // 500 or 503 (0: no status fault)
    std::optional<std::chrono::seconds> retry_after;
    std::chrono::milliseconds delay{0};
    bool close_connection = false;
    unsigned count = 0;
};

struct MintRequest {
    std::string client_id;  // empty: Contoso Print Fleet (delegated) / Contoso Scan Daemon (app-only)
    std::string user;       // empty: app-only (roles SMTP.SendAsApp) in `tenant`
    std::string tenant;     // GUID or domain; empty: the user's tenant (required for app-only)
    std::string audience;   // empty: https://outlook.office.com (delegated) / https://outlook.office365.com
    std::optional<std::chrono::seconds> lifetime;  // empty: the setting's random range
};

struct MintResult {
    ControlStatus status = ControlStatus::ok;
    std::string access_token;
    std::chrono::system_clock::time_point expires;
};

class IdentityService;
// The access token of `request`, or std::invalid_argument ("cannot mint a token for <user>:
// unknown_user"): what ExchangeRuntime's minter (`exosim token`, POST /api/v1/tokens, certify's
// XOAUTH2 sends) and unit tests call.
std::string mint_or_throw(IdentityService& service, const MintRequest& request);

class IdentityService {
public:
    using Observer = std::function<void(const IdentityEvent&)>;

    // Replays and compacts `log`. Throws std::invalid_argument for an invalid directory and
    // std::runtime_error when the log cannot be read or rewritten (errors before serving).
    IdentityService(IdentityDirectory directory, std::shared_ptr<const policy::Clock> clock, Crypto& crypto,
                    DurableLog& log, IdentitySettings settings, Observer observer = {});
    ~IdentityService();
    IdentityService(const IdentityService&) = delete;
    IdentityService& operator=(const IdentityService&) = delete;

    HttpResponse handle(const HttpRequest& request);

    // Exchange's XOAUTH2 check of this service's tokens (issue 14 "What the submission endpoint
    // checks"); shares the service's live directory state.
    std::shared_ptr<const policy::TokenVerifier> smtp_verifier() const;

    // --- control operations ---
    ControlStatus approve_device_code(std::string_view user_code, std::string_view user);
    ControlStatus decline_device_code(std::string_view user_code);
    ControlStatus expire_device_code(std::string_view user_code);
    std::vector<PendingDeviceCode> pending_device_codes() const;
    ControlStatus change_sign_in(std::string_view user, const SignInChange& change);
    std::size_t revoke_refresh_tokens(std::string_view user);  // returns how many; "" = every user's
    ControlStatus set_consent(std::string_view client_id, std::string_view tenant, bool granted);
    ControlStatus expire_app_secrets(std::string_view client_id);
    std::string rotate_signing_key(std::optional<std::chrono::seconds> grace = std::nullopt);
    void set_token_fault(std::optional<TokenEndpointFault> fault);  // nullopt clears
    // A sequence: each fault (count > 0) in turn, e.g. 503 twice, then one request that times out.
    void set_token_faults(std::vector<TokenEndpointFault> faults);
    void set_clock_skew(std::chrono::seconds nbf_ahead);            // 0 clears
    void set_auto_approve(std::optional<AutoApprove> auto_approve);
    MintResult mint(const MintRequest& request);
    // The MFA code `user` must enter (nullopt when the user does not need MFA or is unknown).
    std::optional<std::string> mfa_code(std::string_view user) const;
    IdentityDirectory directory() const;  // a snapshot

private:
    std::shared_ptr<ServiceState> state_;
};

}  // namespace exosim::identity
