#pragma once
// Internal: the state behind IdentityService and its SMTP verifier, and the per-request context
// the endpoint handlers share. Every member is used under `mu`.
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "identity/aadsts.hpp"
#include "identity/form.hpp"
#include "identity/identity_service.hpp"
#include "identity/refresh_tokens.hpp"
#include "identity/responses.hpp"
#include "identity/scopes.hpp"

namespace exosim::identity {

struct AuthCode {
    std::string client_id, redirect_uri, user, tenant_id;
    ScopeRequest scope;
    std::string challenge, challenge_method, nonce;
    TimePoint created, auth_time;
    bool redeemed = false;
};

enum class DeviceStatus { pending, approved, declined, failed, redeemed };

struct DeviceFlow {
    std::string device_code, user_code, client_id, tenant_segment;
    ScopeRequest scope;
    TimePoint created, expires;
    std::optional<TimePoint> last_poll;
    DeviceStatus status = DeviceStatus::pending;
    std::string user;                  // approved as
    std::optional<AadError> failure;   // status failed: what the poll answers
};

// A sign-in page flow (device login or /authorize), bound to its anti-forgery token.
struct PageFlow {
    std::string id, csrf;
    bool device = false;
    std::string step;          // "code", "account", "password", "mfa", "confirm", "consent", "done"
    std::string user_code;     // device
    std::string client_id, redirect_uri, response_mode, state, nonce, challenge, challenge_method, prompt;
    std::string tenant_segment, user, login_hint;
    ScopeRequest scope;
    TimePoint created;
};

struct ServiceState {
    ServiceState(IdentityDirectory d, std::shared_ptr<const policy::Clock> c, Crypto& cr, DurableLog& l,
                 IdentitySettings s, IdentityService::Observer o)
        : dir(std::move(d)), clock(std::move(c)), crypto(cr), settings(std::move(s)), observer(std::move(o)),
          refresh(l, cr) {}

    mutable std::mutex mu;
    IdentityDirectory dir;
    std::shared_ptr<const policy::Clock> clock;
    Crypto& crypto;
    IdentitySettings settings;
    IdentityService::Observer observer;
    RefreshTokenStore refresh;
    std::map<std::string, AuthCode> codes;
    std::map<std::string, DeviceFlow> devices;
    std::map<std::string, PageFlow> flows;
    std::map<std::string, std::int64_t> used_jtis;  // client assertion jti -> exp
    std::optional<TokenEndpointFault> fault;
    std::deque<TokenEndpointFault> next_faults;  // after `fault` runs out (set_token_faults)
    std::chrono::seconds nbf_skew{0};
    // Durable writes and deferred signatures run outside `mu` (IdentityService::handle);
    // revocations wait for them so the log's order matches memory's, and key rotation so every
    // token is signed by the key its header names (RevocationGuard).
    std::condition_variable writes_idle;
    unsigned appends_in_flight = 0;  // responses between route() and their commit, outside `mu`
    unsigned revocations_waiting = 0;

    TimePoint now() const { return clock->now(); }
    std::string random_token(std::size_t octets) const;
    std::string guid() const;
    std::chrono::seconds access_lifetime() const;
};

// Held (under `mu`) by a control operation that revokes refresh tokens: waits until no token
// response is between prepare and commit, and holds new requests back meanwhile. So every grant
// prepared before the revocation is in memory and in the log before the revocation's record, and
// none is prepared while it waits: a restart replays the same revoked set.
class RevocationGuard {
public:
    RevocationGuard(ServiceState& s, std::unique_lock<std::mutex>& lock) : s_(s) {
        ++s_.revocations_waiting;
        s_.writes_idle.wait(lock, [this] { return s_.appends_in_flight == 0; });
    }
    ~RevocationGuard() {
        --s_.revocations_waiting;
        s_.writes_idle.notify_all();
    }
    RevocationGuard(const RevocationGuard&) = delete;
    RevocationGuard& operator=(const RevocationGuard&) = delete;

private:
    ServiceState& s_;
};

// One request being handled.
struct Ctx {
    const HttpRequest& http;
    std::string path;
    std::string query;
    std::string host;  // lower case, without port
    RequestIds ids;
    IdentityEvent event;
    // What the response waits for before it leaves (refresh tokens), and how to give back what the
    // grant consumed (an authorization or device code) when that write fails.
    RefreshWrite durable;
    std::function<void(ServiceState&)> undo;
    // The tokens of the response, signed once the lock is released (RS256 is most of a token
    // request's CPU and reads none of the state `mu` guards): their signing inputs, each standing
    // in the body as "<input>.~<index>~" until then (deferred_jwt, IdentityService::handle).
    std::vector<std::string> to_sign;
};

// A JWT of the response being built, signed after the lock is released (Ctx::to_sign).
std::string deferred_jwt(Ctx& ctx, const boost::json::object& header, const boost::json::object& payload);
// What stands in the body for Ctx::to_sign[index] until it is signed: base64url, '.', '~' and
// digits, none of which JSON escapes, and no JWT contains '~'.
inline std::string jwt_placeholder(const std::string& signing_input, std::size_t index) {
    return signing_input + ".~" + std::to_string(index) + "~";
}

// Tenant path segment: a known tenant, "common"/"organizations" (tenant == nullptr, multi), or
// unknown (nullopt).
struct TenantSegment {
    const IdentityTenant* tenant = nullptr;
    std::string text;
};
std::optional<TenantSegment> resolve_tenant(const ServiceState& s, std::string_view segment);

HttpResponse fail(Ctx& ctx, const AadError& e);
// IdentityEvent::refresh_used/refresh_issued: the first 12 hex digits of SHA-256 of `token`.
std::string token_fingerprint(const ServiceState& s, std::string_view token);

// Endpoints (one file each).
HttpResponse token_endpoint(ServiceState& s, Ctx& ctx, const TenantSegment& t, bool v1);
HttpResponse devicecode_endpoint(ServiceState& s, Ctx& ctx, const TenantSegment& t, bool v1);
HttpResponse discovery_instance(ServiceState& s, Ctx& ctx);
HttpResponse user_realm(ServiceState& s, Ctx& ctx, std::string_view encoded_user);
HttpResponse openid_configuration(ServiceState& s, Ctx& ctx, const TenantSegment& t, bool v1);
HttpResponse jwks(ServiceState& s, Ctx& ctx);
HttpResponse authorize_endpoint(ServiceState& s, Ctx& ctx, const TenantSegment& t, bool v1);
HttpResponse signin_post(ServiceState& s, Ctx& ctx);
HttpResponse devicelogin_page(ServiceState& s, Ctx& ctx);

// Shared by grants and pages.
struct UserCheck {
    const UserSignIn* user = nullptr;
    std::optional<AadError> error;
};
// Password sign-in checks in Entra's order; `password` nullopt: already signed in (refresh).
UserCheck check_user(const ServiceState& s, std::string_view address, const std::optional<std::string>& password,
                     const TenantSegment& t, std::string_view resource);
// Delegated permissions and consent of `app` for `user`: nullopt when they may be issued.
std::optional<AadError> check_delegated(const ServiceState& s, const AppRegistration& app, const UserSignIn& user,
                                        ScopeRequest& scope);
bool consented(const AppRegistration& app, const UserSignIn& user, const ScopeRequest& scope);

struct IssueSpec {
    const AppRegistration* app = nullptr;
    const UserSignIn* user = nullptr;  // nullptr: app-only
    std::string tenant_id;
    ScopeRequest scope;
    std::string nonce;
    TimePoint auth_time;
    bool v1 = false;
    int appidacr = 0;  // 0 public, 1 secret, 2 certificate
};
// The success JSON of reference §3 (and journals a refresh token when offline_access was asked).
HttpResponse issue_tokens(ServiceState& s, Ctx& ctx, const IssueSpec& spec);
std::string mint_access_token(ServiceState& s, const IssueSpec& spec, std::chrono::seconds lifetime);

// Device flows: approve/decline as the pages and the control API do; auto-approval on poll.
void approve_device(ServiceState& s, DeviceFlow& flow, const UserSignIn& user);
DeviceFlow* find_device_by_user_code(ServiceState& s, std::string_view user_code);
void apply_auto_approve(ServiceState& s, DeviceFlow& flow);

}  // namespace exosim::identity
