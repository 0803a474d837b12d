// The interactive sign-in: the device-login pages (microsoft.com/devicelogin, /link) and
// /authorize (issue 14 "Pages"). Each form carries the flow id and an anti-forgery token
// ("canary", as Entra names it) bound to the flow kept here; a POST without both is refused.
#include <algorithm>

#include "core/ascii.hpp"
#include "identity/jwt.hpp"
#include "identity/pages_html.hpp"
#include "identity/token_grants.hpp"

namespace exosim::identity {

using policy::lower;
namespace p = pages;

namespace {

HttpResponse page(Ctx& ctx, unsigned status, std::string html) { return html_page(status, std::move(html), ctx.ids); }

HttpResponse error_page(Ctx& ctx, unsigned status, std::string_view text, unsigned code = 0) {
    ctx.event.ok = false;
    if (code != 0) ctx.event.aadsts = code;
    std::string body = code == 0 ? std::string(text) : "AADSTS" + std::to_string(code) + ": " + std::string(text);
    return page(ctx, status, p::message_page("Sign in", body));
}

std::string action_of(const PageFlow& f) { return f.device ? "/devicelogin" : "/signin"; }

p::Fields hidden(const PageFlow& f) { return {{"flow", f.id}, {"canary", f.csrf}}; }

std::string app_name(const ServiceState& s, const PageFlow& f) {
    const AppRegistration* app = s.dir.find_app(f.client_id);
    return app == nullptr ? f.client_id : app->display_name;
}

HttpResponse render(ServiceState& s, Ctx& ctx, const PageFlow& f, std::string_view error = {}) {
    std::string body = error.empty() ? std::string() : p::error_text(error);
    std::string title = "Sign in";
    if (f.step == "code") {
        title = "Enter code";
        body += p::paragraph("Enter the code displayed on your app or device.") + p::text_input("Code", "otc", "", false) +
                p::submit("action", "next", "Next");
    } else if (f.step == "account") {
        body += p::text_input("Email, phone, or Skype", "login", f.login_hint, false) + p::submit("action", "next", "Next");
    } else if (f.step == "password") {
        title = "Enter password";
        body += p::paragraph(f.user) + p::text_input("Password", "passwd", "", true) + p::submit("action", "next", "Sign in");
    } else if (f.step == "mfa") {
        title = "Enter code";
        body += p::paragraph("Enter the code from your authenticator app.") + p::text_input("Code", "otc", "", false) +
                p::submit("action", "next", "Verify");
    } else if (f.step == "confirm") {
        title = "Are you trying to sign in to " + app_name(s, f) + "?";
        body += p::paragraph("Only continue if you downloaded the app from a store or website that you trust.") +
                p::submit("action", "continue", "Continue") + p::submit("action", "cancel", "Cancel");
    } else if (f.step == "consent") {
        title = "Permissions requested";
        body += p::paragraph(app_name(s, f) + " needs permission to: " + join_spaces(f.scope.granted())) +
                p::submit("action", "accept", "Accept") + p::submit("action", "cancel", "Cancel");
    }
    return page(ctx, 200, p::form_page(title, action_of(f), hidden(f), body));
}

PageFlow& new_flow(ServiceState& s, bool device, std::string step) {
    const TimePoint now = s.now();
    std::erase_if(s.flows, [&](const auto& kv) { return now - kv.second.created > s.settings.flow_state_lifetime; });
    while (!s.flows.empty() && s.flows.size() >= s.settings.max_pending_flows) {
        auto oldest = std::min_element(s.flows.begin(), s.flows.end(),
                                       [](const auto& a, const auto& b) { return a.second.created < b.second.created; });
        s.flows.erase(oldest);
    }
    PageFlow f;
    f.id = s.random_token(18);
    f.csrf = s.random_token(24);
    f.device = device;
    f.step = std::move(step);
    f.created = now;
    return s.flows.emplace(f.id, f).first->second;
}

// The redirect back to the client (RFC 6749 4.1.2; response_mode query|fragment|form_post).
HttpResponse respond_to_client(Ctx& ctx, const PageFlow& f, p::Fields params) {
    if (!f.state.empty()) params.emplace_back("state", f.state);
    if (f.response_mode == "form_post") return page(ctx, 200, p::form_post_page(f.redirect_uri, params));
    std::string uri = f.redirect_uri;
    const char sep = f.response_mode == "fragment" ? '#' : (uri.find('?') == std::string::npos ? '?' : '&');
    for (std::size_t i = 0; i < params.size(); ++i) {
        uri += (i == 0 ? sep : '&') + params[i].first + "=" + percent_encode(params[i].second);
    }
    return redirect_to(std::move(uri), ctx.ids);
}

HttpResponse client_error(Ctx& ctx, const PageFlow& f, const AadError& e) {
    ctx.event.ok = false;
    ctx.event.error = e.error;
    ctx.event.aadsts = e.code;
    const std::string stamp = entra_timestamp(ctx.ids.now);
    return respond_to_client(ctx, f, {{"error", e.error},
                                      {"error_description", "AADSTS" + std::to_string(e.code) + ": " + e.text +
                                                                "\r\nTrace ID: " + ctx.ids.trace_id +
                                                                "\r\nCorrelation ID: " + ctx.ids.correlation_id +
                                                                "\r\nTimestamp: " + stamp},
                                      {"error_uri", "https://login.microsoftonline.com/error?code=" + std::to_string(e.code)}});
}

HttpResponse finish_authorize(ServiceState& s, Ctx& ctx, PageFlow& f) {
    const UserSignIn* u = s.dir.find_user(f.user);
    AuthCode code{f.client_id, f.redirect_uri, f.user, u->tenant_id, f.scope, f.challenge, f.challenge_method,
                  f.nonce, s.now(), s.now(), false};
    const std::string value = "1.A" + s.random_token(96);
    std::erase_if(s.codes, [&](const auto& kv) { return s.now() - kv.second.created > 2 * s.settings.auth_code_lifetime; });
    s.codes.emplace(value, std::move(code));
    PageFlow copy = f;
    s.flows.erase(f.id);
    ctx.event.user = copy.user;
    return respond_to_client(ctx, copy, {{"code", value}, {"session_state", s.guid()}});
}

// After the user is known: consent (authorize) or the confirmation (device).
HttpResponse after_sign_in(ServiceState& s, Ctx& ctx, PageFlow& f) {
    if (f.device) {
        f.step = "confirm";
        return render(s, ctx, f);
    }
    const AppRegistration* app = s.dir.find_app(f.client_id);
    const UserSignIn* u = s.dir.find_user(f.user);
    ScopeRequest sc = f.scope;
    if (auto e = check_delegated(s, *app, *u, sc)) {
        if (e->code != 65001 || !app->user_consent_allowed || f.prompt == "none") return client_error(ctx, f, *e);
        f.step = "consent";
        return render(s, ctx, f);
    }
    if (f.prompt == "consent") {
        f.step = "consent";
        return render(s, ctx, f);
    }
    return finish_authorize(s, ctx, f);
}

HttpResponse step_password(ServiceState& s, Ctx& ctx, PageFlow& f, const FormParams& form) {
    const UserCheck c = check_user(s, f.user, std::string(form.get("passwd")), TenantSegment{nullptr, "common"},
                                   f.scope.resource);
    if (c.error && c.error->code == 50126) return render(s, ctx, f, "Your account or password is incorrect.");
    if (c.error && c.error->code == 50076) {
        f.step = "mfa";
        return render(s, ctx, f);
    }
    if (c.error) return f.device ? error_page(ctx, 400, c.error->text, c.error->code) : client_error(ctx, f, *c.error);
    return after_sign_in(s, ctx, f);
}

HttpResponse step_confirm(ServiceState& s, Ctx& ctx, PageFlow& f, const FormParams& form) {
    DeviceFlow* d = find_device_by_user_code(s, f.user_code);
    if (d == nullptr || d->status != DeviceStatus::pending || s.now() >= d->expires) {
        return error_page(ctx, 400, "That code has expired or was already used.", 70020);
    }
    const std::string app = app_name(s, f);
    const std::string user = f.user;
    s.flows.erase(f.id);  // `f` is gone from here on
    if (form.get("action") != "continue") {
        d->status = DeviceStatus::declined;
        return page(ctx, 200, p::message_page("Sign in", "You have declined to sign in to the " + app + " application."));
    }
    approve_device(s, *d, *s.dir.find_user(user));
    if (d->status == DeviceStatus::failed) return error_page(ctx, 400, d->failure->text, d->failure->code);
    return page(ctx, 200, p::message_page(app, "You have signed in to the " + app +
                                                   " application on your device. You may now close this window."));
}

HttpResponse step(ServiceState& s, Ctx& ctx, PageFlow& f, const FormParams& form) {
    if (f.step == "code") {
        DeviceFlow* d = find_device_by_user_code(s, form.get("otc"));
        if (d == nullptr || d->status != DeviceStatus::pending || s.now() >= d->expires) {
            return render(s, ctx, f, "That code didn't work. Check the code and try again.");
        }
        f.user_code = d->user_code;
        f.client_id = d->client_id;
        f.scope = d->scope;
        ctx.event.client_id = d->client_id;
        f.step = "account";
        return render(s, ctx, f);
    }
    if (f.step == "account") {
        if (s.dir.find_user(form.get("login")) == nullptr) {
            return render(s, ctx, f, "This username may be incorrect. Make sure you typed it correctly.");
        }
        f.user = lower(form.get("login"));
        f.step = "password";
        return render(s, ctx, f);
    }
    if (f.step == "password") return step_password(s, ctx, f, form);
    if (f.step == "mfa") {
        if (form.get("otc") != s.settings.mfa_code) return render(s, ctx, f, "That code didn't work. Try again.");
        return after_sign_in(s, ctx, f);
    }
    if (f.step == "confirm") return step_confirm(s, ctx, f, form);
    if (f.step == "consent") {
        if (form.get("action") != "accept") return client_error(ctx, f, aad_error(65004));
        const UserSignIn* u = s.dir.find_user(f.user);
        s.dir.find_app(f.client_id)->consent[u->tenant_id].users_consented.insert(u->address);
        return finish_authorize(s, ctx, f);
    }
    return error_page(ctx, 400, "This sign-in step is not known.");
}

}  // namespace

// POST of any sign-in form: the flow and its anti-forgery token first.
HttpResponse page_post(ServiceState& s, Ctx& ctx) {
    ctx.event.grant = "signin";
    if (check_form_request(ctx.http)) return error_page(ctx, 400, "The request is not a sign-in form.");
    const FormResult form = decode_form(ctx.http.body, s.settings.form_limits);
    if (!form.ok()) return error_page(ctx, 400, "The sign-in form could not be read.");
    auto it = s.flows.find(std::string(form.params.get("flow")));
    const std::string_view canary = form.params.get("canary");
    if (it == s.flows.end() || canary.empty() || canary != it->second.csrf) {
        return error_page(ctx, 400, "Your session has expired or the request was forged. Start the sign-in again.");
    }
    if (it->second.device != (ctx.path == "/devicelogin" || ctx.path == "/link")) {
        return error_page(ctx, 400, "This form belongs to another sign-in.");
    }
    ctx.event.client_id = it->second.client_id;
    return step(s, ctx, it->second, form.params);
}

HttpResponse signin_post(ServiceState& s, Ctx& ctx) { return page_post(s, ctx); }

HttpResponse devicelogin_page(ServiceState& s, Ctx& ctx) {
    if (ctx.http.method == "POST") return page_post(s, ctx);
    ctx.event.grant = "devicelogin";
    PageFlow& f = new_flow(s, true, "code");
    return render(s, ctx, f);
}

namespace {

// redirect_uri exact match; a registered http://localhost matches any port (as Entra does).
bool redirect_registered(const AppRegistration& app, std::string_view uri) {
    for (const auto& r : app.redirect_uris) {
        if (r == uri) return true;
        if (r == "http://localhost" && uri.starts_with("http://localhost:")) {
            std::string_view rest = uri.substr(17);
            const std::size_t end = rest.find_first_of("/?#");
            const std::string_view port = rest.substr(0, end);
            if (!port.empty() && port.size() <= 5 && core::ascii::parse_u64(port) &&
                (end == std::string_view::npos || rest.substr(end) == "/")) {
                return true;
            }
        }
    }
    return false;
}

}  // namespace

HttpResponse authorize_endpoint(ServiceState& s, Ctx& ctx, const TenantSegment& t, bool v1) {
    ctx.event.grant = "authorize";
    if (ctx.query.size() > s.settings.max_query) return error_page(ctx, 400, aad_error(90015).text, 90015);
    const FormResult q = decode_form(ctx.query, s.settings.form_limits);
    if (auto e = form_error(q)) return error_page(ctx, 400, e->text, e->code);
    const FormParams& in = q.params;
    const std::string client_id(in.get("client_id"));
    ctx.event.client_id = client_id;
    // Recorded like the token endpoint's, so certify's token-scope rule judges what the client asked for.
    ctx.event.scope = std::string(in.has("scope") ? in.get("scope") : in.get("resource"));
    if (client_id.empty()) return error_page(ctx, 400, aad_error(900144, {"client_id"}).text, 900144);
    const AppRegistration* app = s.dir.find_app(client_id);
    if (app == nullptr) {
        return error_page(ctx, 400, aad_error(700016, {client_id, t.text}).text, 700016);
    }
    const std::string redirect(in.get("redirect_uri"));
    if (!redirect_registered(*app, redirect)) {
        return error_page(ctx, 400, aad_error(50011, {redirect, app->client_id}).text, 50011);
    }
    PageFlow& f = new_flow(s, false, "account");
    f.client_id = app->client_id;
    f.redirect_uri = redirect;
    f.response_mode = in.has("response_mode") ? std::string(in.get("response_mode")) : "query";
    if (f.response_mode != "query" && f.response_mode != "fragment" && f.response_mode != "form_post") f.response_mode = "query";
    f.state = std::string(in.get("state"));
    f.nonce = std::string(in.get("nonce"));
    f.prompt = std::string(in.get("prompt"));
    f.login_hint = std::string(in.get("login_hint"));
    f.tenant_segment = t.text;
    f.challenge = std::string(in.get("code_challenge"));
    f.challenge_method = in.has("code_challenge_method") ? std::string(in.get("code_challenge_method")) : "plain";
    if (in.get("response_type") != "code") return client_error(ctx, f, aad_error_as(700051, "unsupported_response_type", {std::string(in.get("response_type"))}));
    if (f.challenge_method != "plain" && f.challenge_method != "S256") return client_error(ctx, f, aad_error(90100, {"code_challenge_method"}));
    std::string bad;
    auto sc = v1 ? std::optional<ScopeRequest>(scope_from_resource(in.get("resource").empty() ? std::string_view(outlook_resource) : in.get("resource")))
                 : parse_scope(in.get("scope"), &bad);
    if (!sc) return client_error(ctx, f, aad_error_as(70011, "invalid_scope", {bad}));
    f.scope = *sc;
    if (v1) f.scope.openid = f.scope.offline_access = true;
    // No browser session is kept, so a silent request cannot succeed (reference §3 prompt).
    if (f.prompt == "none") return client_error(ctx, f, aad_error(50058));
    if (s.settings.auto_approve && s.dir.find_user(s.settings.auto_approve->user) != nullptr) {
        f.user = lower(s.settings.auto_approve->user);
        return after_sign_in(s, ctx, f);
    }
    return render(s, ctx, f);
}

}  // namespace exosim::identity
