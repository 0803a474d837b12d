// Request routing by Host and path (reference §3), the request log, and token-endpoint faults.
#include "identity/identity_service.hpp"

#include <algorithm>

#include "core/ascii.hpp"
#include "identity/jwt.hpp"
#include "identity/service_state.hpp"

namespace exosim::identity {

using policy::lower;

std::string ServiceState::random_token(std::size_t octets) const { return base64url_encode(crypto.random_bytes(octets)); }
std::string ServiceState::guid() const { return guid_from_bytes(crypto.random_bytes(16)); }

// reference §6: a random lifetime in [min, max] (uniform enough for a lab: 16 random bits).
std::chrono::seconds ServiceState::access_lifetime() const {
    const auto lo = settings.access_token_min.count();
    const auto hi = std::max(settings.access_token_max.count(), lo);
    const std::string r = crypto.random_bytes(2);
    const auto v = static_cast<std::int64_t>(static_cast<unsigned char>(r[0]) << 8 | static_cast<unsigned char>(r[1]));
    return std::chrono::seconds(lo + v % (hi - lo + 1));
}

std::optional<TenantSegment> resolve_tenant(const ServiceState& s, std::string_view segment) {
    const std::string l = lower(segment);
    if (l == "common" || l == "organizations") return TenantSegment{nullptr, l};
    if (const IdentityTenant* t = s.dir.find_tenant(l)) return TenantSegment{t, std::string(segment)};
    return std::nullopt;
}

HttpResponse fail(Ctx& ctx, const AadError& e) {
    ctx.event.ok = false;
    ctx.event.error = e.error;
    ctx.event.aadsts = e.code;
    return error_response(e, ctx.ids);
}

IdentityService::IdentityService(IdentityDirectory directory, std::shared_ptr<const policy::Clock> clock,
                                 Crypto& crypto, DurableLog& log, IdentitySettings settings, Observer observer) {
    directory.validate();
    state_ = std::make_shared<ServiceState>(std::move(directory), std::move(clock), crypto, log, std::move(settings),
                                            std::move(observer));
    state_->refresh.load();
}

IdentityService::~IdentityService() = default;

namespace {

std::string host_of(const HttpRequest& r) {
    std::string h = lower(r.header("Host"));
    if (!h.empty() && h.front() == '[') return h;  // IPv6 literal: not a site name
    const std::size_t colon = h.find(':');
    return colon == std::string::npos ? h : h.substr(0, colon);
}

bool sign_in_host(std::string_view h) {
    return h == "login.microsoftonline.com" || h == "login.microsoft.com" || h == "login.windows.net" ||
           h == "sts.windows.net";
}

bool device_login_host(std::string_view h) { return h == "microsoft.com" || h == "www.microsoft.com"; }

std::vector<std::string> segments(std::string_view path) {
    std::vector<std::string> out;
    std::size_t i = 1;
    while (i <= path.size()) {
        const std::size_t j = path.find('/', i);
        const std::size_t end = j == std::string_view::npos ? path.size() : j;
        out.emplace_back(path.substr(i, end - i));
        i = end + 1;
    }
    return out;
}

HttpResponse not_found(Ctx& ctx) {
    ctx.event.ok = false;
    ctx.event.status = 404;
    return html_page(404, "<!DOCTYPE html><html><body><p>404 Not Found</p></body></html>", ctx.ids);
}

// The request log names the grant, client and scope even when the request fails before its
// endpoint reads the form (an unknown tenant, a token-endpoint fault): certify judges them.
void note_form(const ServiceState& s, Ctx& ctx) {
    if (ctx.http.method != "POST") return;
    const FormResult f = decode_form(ctx.http.body, s.settings.form_limits);
    if (!f.ok()) return;
    ctx.event.grant = std::string(f.params.get("grant_type"));
    ctx.event.client_id = std::string(f.params.get("client_id"));
    ctx.event.scope = std::string(f.params.has("scope") ? f.params.get("scope") : f.params.get("resource"));
    if (ctx.event.grant == "refresh_token" && f.params.has("refresh_token"))
        ctx.event.refresh_used = token_fingerprint(s, f.params.get("refresh_token"));
}

HttpResponse route_tenant(ServiceState& s, Ctx& ctx, const std::vector<std::string>& seg) {
    const std::string rest = [&] {
        std::string r;
        for (std::size_t i = 1; i < seg.size(); ++i) r += "/" + seg[i];
        return r;
    }();
    static const std::vector<std::string> known = {
        "/oauth2/v2.0/token", "/oauth2/token", "/oauth2/v2.0/devicecode", "/oauth2/devicecode",
        "/v2.0/.well-known/openid-configuration", "/.well-known/openid-configuration", "/discovery/v2.0/keys",
        "/discovery/keys", "/oauth2/v2.0/authorize", "/oauth2/authorize"};
    if (std::find(known.begin(), known.end(), rest) == known.end()) return not_found(ctx);
    if (rest.find("token") != std::string::npos || rest.find("devicecode") != std::string::npos) note_form(s, ctx);
    const auto t = resolve_tenant(s, seg[0]);
    if (!t) return fail(ctx, aad_error(90002, {seg[0]}));
    if (rest == "/oauth2/v2.0/token" || rest == "/oauth2/token") return token_endpoint(s, ctx, *t, rest == "/oauth2/token");
    if (rest.find("devicecode") != std::string::npos) return devicecode_endpoint(s, ctx, *t, rest == "/oauth2/devicecode");
    if (rest.find("openid-configuration") != std::string::npos) {
        return openid_configuration(s, ctx, *t, rest == "/.well-known/openid-configuration");
    }
    if (rest.find("keys") != std::string::npos) return jwks(s, ctx);
    return authorize_endpoint(s, ctx, *t, rest == "/oauth2/authorize");
}

HttpResponse route(ServiceState& s, Ctx& ctx) {
    // RFC 9112 3.2: a request with more than one Host field is answered 400.
    if (ctx.http.header_count("Host") > 1) {
        ctx.event.ok = false;
        return html_page(400, "<!DOCTYPE html><html><body><p>400 Bad Request: repeated Host</p></body></html>", ctx.ids);
    }
    const std::vector<std::string> seg = segments(ctx.path);
    if (device_login_host(ctx.host)) {
        if (ctx.path == "/devicelogin" || ctx.path == "/link") return devicelogin_page(s, ctx);
        return not_found(ctx);
    }
    if (!sign_in_host(ctx.host)) return not_found(ctx);
    if (ctx.path == "/common/discovery/instance") return discovery_instance(s, ctx);
    if (seg.size() == 3 && lower(seg[0]) == "common" && seg[1] == "userrealm" && !seg[2].empty()) {
        return user_realm(s, ctx, seg[2]);
    }
    if (ctx.path == "/signin" && ctx.http.method == "POST") return signin_post(s, ctx);
    if (seg.size() < 2) return not_found(ctx);
    return route_tenant(s, ctx, seg);
}

// The signatures of the response's tokens (Ctx::to_sign), put in place of their placeholders.
void sign_deferred(const Crypto& crypto, const std::vector<std::string>& inputs, std::string& body) {
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const std::string placeholder = jwt_placeholder(inputs[i], i);
        const std::size_t at = body.find(placeholder);
        if (at != std::string::npos) body.replace(at, placeholder.size(), sign_jwt_input(inputs[i], crypto));
    }
}

// What a token response does without the lock: sign its tokens (Ctx::to_sign), then, when it
// carries a refresh token, make the token's record durable (refresh_tokens.hpp) before it leaves.
// Concurrent grants so sign on every handler thread and share the Journal's group commit instead
// of queueing behind the mutex (idclients benchmark: ~85 refreshes/s flat at 1 and 10 clients).
// A failed signature or append answers 500 server_error (AADSTS50000) and the token never becomes
// usable; a consumed code is given back so the client may retry.
HttpResponse finish_outside_lock(ServiceState& s, Ctx& ctx, std::unique_lock<std::mutex>& lock, HttpResponse ok) {
    ++s.appends_in_flight;
    lock.unlock();
    bool done = true;
    try {
        sign_deferred(s.crypto, ctx.to_sign, ok.body);
        if (!ctx.durable.empty()) s.refresh.append(ctx.durable);
    } catch (const std::exception&) {
        done = false;
    }
    lock.lock();
    if (--s.appends_in_flight == 0) s.writes_idle.notify_all();
    if (done) {
        if (!ctx.durable.empty()) s.refresh.commit(ctx.durable);
        return ok;
    }
    if (ctx.undo) ctx.undo(s);
    HttpResponse r = fail(ctx, aad_error(50000));
    r.delay = ok.delay;
    return r;
}

}  // namespace

HttpResponse IdentityService::handle(const HttpRequest& request) {
    ServiceState& s = *state_;
    std::unique_lock lock(s.mu);
    s.writes_idle.wait(lock, [&s] { return s.revocations_waiting == 0; });
    Ctx ctx{request, {}, {}, host_of(request), {}, {}, {}, {}};
    const std::size_t q = request.target.find('?');
    ctx.path = request.target.substr(0, q);
    if (q != std::string::npos) ctx.query = request.target.substr(q + 1);
    ctx.ids.now = s.now();
    ctx.ids.trace_id = s.guid();
    const std::string_view client_request_id = request.header("client-request-id");
    ctx.ids.correlation_id = is_guid(client_request_id) ? std::string(client_request_id) : s.guid();
    ctx.event.time = ctx.ids.now;
    ctx.event.method = request.method;
    ctx.event.path = ctx.path;
    ctx.event.host = ctx.host;
    HttpResponse r = route(s, ctx);
    if (!ctx.durable.empty() || !ctx.to_sign.empty()) r = finish_outside_lock(s, ctx, lock, std::move(r));
    ctx.event.status = r.status;
    if (r.status >= 400) ctx.event.ok = false;
    if (s.observer) s.observer(ctx.event);
    return r;
}

}  // namespace exosim::identity
