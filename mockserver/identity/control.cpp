// Control operations (control API, scenarios): typed results, the same state the pages use.
#include <stdexcept>

#include "identity/jwt.hpp"
#include "identity/service_state.hpp"

namespace exosim::identity {

using policy::lower;

std::string_view control_status_name(ControlStatus s) {
    switch (s) {
        case ControlStatus::ok: return "ok";
        case ControlStatus::not_found: return "not_found";
        case ControlStatus::unknown_user: return "unknown_user";
        case ControlStatus::unknown_app: return "unknown_app";
        case ControlStatus::unknown_tenant: return "unknown_tenant";
        case ControlStatus::invalid: return "invalid";
    }
    return "?";
}

ControlStatus IdentityService::approve_device_code(std::string_view user_code, std::string_view user) {
    std::lock_guard lock(state_->mu);
    DeviceFlow* f = find_device_by_user_code(*state_, user_code);
    if (f == nullptr || f->status != DeviceStatus::pending) return ControlStatus::not_found;
    const UserSignIn* u = state_->dir.find_user(user);
    if (u == nullptr) return ControlStatus::unknown_user;
    approve_device(*state_, *f, *u);
    return ControlStatus::ok;
}

ControlStatus IdentityService::decline_device_code(std::string_view user_code) {
    std::lock_guard lock(state_->mu);
    DeviceFlow* f = find_device_by_user_code(*state_, user_code);
    if (f == nullptr || f->status != DeviceStatus::pending) return ControlStatus::not_found;
    f->status = DeviceStatus::declined;
    return ControlStatus::ok;
}

ControlStatus IdentityService::expire_device_code(std::string_view user_code) {
    std::lock_guard lock(state_->mu);
    DeviceFlow* f = find_device_by_user_code(*state_, user_code);
    if (f == nullptr) return ControlStatus::not_found;
    f->expires = state_->now();
    return ControlStatus::ok;
}

std::vector<PendingDeviceCode> IdentityService::pending_device_codes() const {
    std::lock_guard lock(state_->mu);
    std::vector<PendingDeviceCode> out;
    const TimePoint now = state_->now();
    for (const auto& [k, f] : state_->devices) {
        if (f.status != DeviceStatus::pending || now >= f.expires) continue;
        const AppRegistration* app = state_->dir.find_app(f.client_id);
        out.push_back({f.user_code, f.client_id, app ? app->display_name : "", join_spaces(f.scope.granted()),
                       f.created, f.expires});
    }
    return out;
}

ControlStatus IdentityService::change_sign_in(std::string_view user, const SignInChange& c) {
    std::unique_lock lock(state_->mu);
    std::optional<RevocationGuard> revoking;
    if (c.new_password) revoking.emplace(*state_, lock);
    UserSignIn* u = state_->dir.find_user(user);
    if (u == nullptr) return ControlStatus::unknown_user;
    if (c.mfa_required) u->mfa_required = *c.mfa_required;
    if (c.disabled) u->disabled = *c.disabled;
    if (c.password_expired) u->password_expired = *c.password_expired;
    if (c.locked) u->locked = *c.locked;
    if (c.ca_blocked) u->ca_blocked = *c.ca_blocked;
    if (c.sign_in_frequency) u->sign_in_frequency = *c.sign_in_frequency;
    if (c.new_password) {
        u->password = *c.new_password;
        u->password_expired = false;
        state_->refresh.revoke(u->address, state_->now());  // AADSTS50173 on their next refresh
    }
    return ControlStatus::ok;
}

std::size_t IdentityService::revoke_refresh_tokens(std::string_view user) {
    std::unique_lock lock(state_->mu);
    RevocationGuard revoking(*state_, lock);
    return state_->refresh.revoke(lower(user), state_->now());
}

ControlStatus IdentityService::set_consent(std::string_view client_id, std::string_view tenant, bool granted) {
    std::lock_guard lock(state_->mu);
    AppRegistration* app = state_->dir.find_app(client_id);
    if (app == nullptr) return ControlStatus::unknown_app;
    const IdentityTenant* t = state_->dir.find_tenant(tenant);
    if (t == nullptr) return ControlStatus::unknown_tenant;
    TenantConsent& c = app->consent[t->id];
    c.admin_delegated = granted && !app->delegated_scopes.empty();
    c.admin_app_roles = granted && app->smtp_send_as_app;
    if (!granted) c.users_consented.clear();
    return ControlStatus::ok;
}

ControlStatus IdentityService::expire_app_secrets(std::string_view client_id) {
    std::lock_guard lock(state_->mu);
    AppRegistration* app = state_->dir.find_app(client_id);
    if (app == nullptr) return ControlStatus::unknown_app;
    for (auto& sec : app->secrets) sec.expires = state_->now();
    return ControlStatus::ok;
}

std::string IdentityService::rotate_signing_key(std::optional<std::chrono::seconds> grace) {
    std::unique_lock lock(state_->mu);
    // Token responses still signing outside the lock name the current kid: they finish first.
    RevocationGuard quiet(*state_, lock);
    return state_->crypto.rotate_signing_key(state_->now(), grace.value_or(state_->settings.key_rotation_grace));
}

void IdentityService::set_token_fault(std::optional<TokenEndpointFault> fault) {
    std::lock_guard lock(state_->mu);
    state_->fault = fault;
    state_->next_faults.clear();
}

void IdentityService::set_token_faults(std::vector<TokenEndpointFault> faults) {
    std::lock_guard lock(state_->mu);
    state_->fault.reset();
    state_->next_faults.assign(faults.begin(), faults.end());
    if (!state_->next_faults.empty()) {
        state_->fault = state_->next_faults.front();
        state_->next_faults.pop_front();
    }
}

void IdentityService::set_clock_skew(std::chrono::seconds nbf_ahead) {
    std::lock_guard lock(state_->mu);
    state_->nbf_skew = nbf_ahead;
}

void IdentityService::set_auto_approve(std::optional<AutoApprove> auto_approve) {
    std::lock_guard lock(state_->mu);
    state_->settings.auto_approve = std::move(auto_approve);
}

MintResult IdentityService::mint(const MintRequest& r) {
    std::lock_guard lock(state_->mu);
    ServiceState& s = *state_;
    const bool app_only = r.user.empty();
    const std::string client = !r.client_id.empty() ? r.client_id
                               : std::string(app_only ? default_ids::scan_daemon : default_ids::print_fleet);
    const AppRegistration* app = s.dir.find_app(client);
    if (app == nullptr) return {ControlStatus::unknown_app, {}, {}};
    IssueSpec spec;
    spec.app = app;
    spec.user = app_only ? nullptr : s.dir.find_user(r.user);
    if (!app_only && spec.user == nullptr) return {ControlStatus::unknown_user, {}, {}};
    const IdentityTenant* t = r.tenant.empty() ? (spec.user ? s.dir.tenant_by_id(spec.user->tenant_id) : nullptr)
                                               : s.dir.find_tenant(r.tenant);
    if (t == nullptr) return {ControlStatus::unknown_tenant, {}, {}};
    spec.tenant_id = t->id;
    spec.scope.resource = !r.audience.empty() ? r.audience
                          : std::string(app_only ? outlook365_resource : outlook_resource);
    spec.scope.permissions = {app_only ? ".default" : "SMTP.Send"};
    spec.appidacr = app->public_client ? 0 : 1;
    const auto lifetime = r.lifetime.value_or(s.access_lifetime());
    return {ControlStatus::ok, mint_access_token(s, spec, lifetime), s.now() + lifetime};
}

std::string mint_or_throw(IdentityService& service, const MintRequest& request) {
    MintResult r = service.mint(request);
    if (r.status != ControlStatus::ok) {
        const std::string who = request.user.empty() ? "app-only in " + request.tenant : request.user;
        throw std::invalid_argument("cannot mint a token for " + who + ": " + std::string(control_status_name(r.status)));
    }
    return std::move(r.access_token);
}

std::optional<std::string> IdentityService::mfa_code(std::string_view user) const {
    std::lock_guard lock(state_->mu);
    const UserSignIn* u = state_->dir.find_user(user);
    if (u == nullptr || !u->mfa_required) return std::nullopt;
    return state_->settings.mfa_code;
}

IdentityDirectory IdentityService::directory() const {
    std::lock_guard lock(state_->mu);
    return state_->dir;
}

}  // namespace exosim::identity
