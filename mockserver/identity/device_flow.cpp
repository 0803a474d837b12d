// POST /{tenant}/oauth2/v2.0/devicecode (reference §3) and device code approval.
#include <algorithm>
#include <boost/json.hpp>

#include "core/ascii.hpp"
#include "identity/jwt.hpp"
#include "identity/token_grants.hpp"

namespace exosim::identity {

namespace json = boost::json;
using policy::lower;

namespace {

// Uniform over the alphabet: bytes at or above the largest multiple of its size are redrawn.
std::string user_code(const ServiceState& s) {
    const std::string& alphabet = s.settings.user_code_alphabet;
    const std::size_t n = alphabet.size();
    const std::size_t limit = 256 - 256 % n;
    std::string out;
    while (out.size() < s.settings.user_code_length) {
        for (char c : s.crypto.random_bytes(s.settings.user_code_length * 2)) {
            const auto v = static_cast<unsigned char>(c);
            if (v < limit && out.size() < s.settings.user_code_length) out += alphabet[v % n];
        }
    }
    return out;
}

}  // namespace

DeviceFlow* find_device_by_user_code(ServiceState& s, std::string_view code) {
    std::string wanted;
    for (char c : code) {
        if (c != '-' && c != ' ') wanted += core::ascii::to_upper(c);
    }
    for (auto& [k, f] : s.devices) {
        if (f.user_code == wanted) return &f;
    }
    return nullptr;
}

// Consent decides here, at approval: a user who may not consent leaves the device with 65001.
void approve_device(ServiceState& s, DeviceFlow& flow, const UserSignIn& user) {
    flow.user = user.address;
    const AppRegistration* app = s.dir.find_app(flow.client_id);
    ScopeRequest scope = flow.scope;
    if (app == nullptr) return;
    if (auto e = check_delegated(s, *app, user, scope)) {
        flow.status = DeviceStatus::failed;
        flow.failure = *e;
        return;
    }
    flow.status = DeviceStatus::approved;
}

// identity.auto_approve: a poll after created + delay finds the code approved (no timers).
void apply_auto_approve(ServiceState& s, DeviceFlow& flow) {
    const auto& aa = s.settings.auto_approve;
    if (!aa || flow.status != DeviceStatus::pending || s.now() < flow.created + aa->delay) return;
    if (const UserSignIn* u = s.dir.find_user(aa->user)) approve_device(s, flow, *u);
}

HttpResponse devicecode_endpoint(ServiceState& s, Ctx& ctx, const TenantSegment& t, bool v1) {
    ctx.event.grant = "device_code";
    if (auto e = check_form_request(ctx.http)) return fail(ctx, *e);
    FormResult form = decode_form(ctx.http.body, s.settings.form_limits);
    if (auto e = form_error(form)) return fail(ctx, *e);
    const std::string client_id(form.params.get("client_id"));
    ctx.event.client_id = client_id;
    ctx.event.scope = std::string(form.params.has("scope") ? form.params.get("scope") : form.params.get("resource"));
    if (client_id.empty()) return fail(ctx, aad_error(900144, {"client_id"}));
    const AppRegistration* app = s.dir.find_app(client_id);
    if (app == nullptr || (t.tenant != nullptr && !app->multi_tenant && t.tenant->id != app->home_tenant_id)) {
        return fail(ctx, aad_error(700016, {client_id, t.tenant ? t.tenant->id : t.text}));
    }
    if (!app->public_client || !app->device_code_allowed) {
        return fail(ctx, aad_error(70001, {app->display_name, "device_code"}));
    }
    ScopeRequest scope;
    if (v1) {
        scope = scope_from_resource(form.params.get("resource").empty() ? std::string_view(outlook_resource)
                                                                          : form.params.get("resource"));
        scope.openid = scope.offline_access = true;
    } else {
        if (!form.params.has("scope")) return fail(ctx, aad_error(900144, {"scope"}));
        std::string bad;
        auto sc = parse_scope(form.params.get("scope"), &bad);
        if (!sc) return fail(ctx, aad_error(70011, {bad}));
        scope = *sc;
    }
    DeviceFlow flow;
    flow.device_code = "DAQABAAEAAAD" + s.random_token(96);  // opaque; the prefix looks like Entra's [WIRE]
    flow.user_code = user_code(s);
    flow.client_id = app->client_id;
    flow.tenant_segment = t.text;
    flow.scope = scope;
    flow.created = s.now();
    flow.expires = flow.created + s.settings.device_code_lifetime;
    const std::string& uri = s.settings.verification_uri;
    json::object o{{"user_code", flow.user_code}, {"device_code", flow.device_code}, {"verification_uri", uri},
                   {"expires_in", s.settings.device_code_lifetime.count()},
                   {"interval", s.settings.device_code_interval.count()},
                   {"message", "To sign in, use a web browser to open the page " + uri + " and enter the code " +
                                   flow.user_code + " to authenticate."}};
    std::erase_if(s.devices, [&](const auto& kv) { return flow.created > kv.second.expires + std::chrono::hours(1); });
    while (!s.devices.empty() && s.devices.size() >= s.settings.max_pending_flows) {
        auto oldest = std::min_element(s.devices.begin(), s.devices.end(),
                                       [](const auto& a, const auto& b) { return a.second.created < b.second.created; });
        s.devices.erase(oldest);
    }
    s.devices.emplace(flow.device_code, std::move(flow));
    ctx.event.interval = static_cast<unsigned>(s.settings.device_code_interval.count());
    return json_no_store(json::serialize(o), ctx.ids);
}

}  // namespace exosim::identity
