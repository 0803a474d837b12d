#include "identity/identity_directory.hpp"

#include <cstdint>
#include <stdexcept>

#include "identity/responses.hpp"

namespace exosim::identity {

using policy::lower;

const IdentityTenant* IdentityDirectory::tenant_by_id(std::string_view id) const {
    for (const auto& t : tenants) {
        if (lower(t.id) == lower(id)) return &t;
    }
    return nullptr;
}

const IdentityTenant* IdentityDirectory::find_tenant(std::string_view id_or_domain) const {
    if (const IdentityTenant* t = tenant_by_id(id_or_domain)) return t;
    for (const auto& t : tenants) {
        for (const auto& d : t.domains) {
            if (lower(d) == lower(id_or_domain)) return &t;
        }
    }
    return nullptr;
}

const IdentityTenant* IdentityDirectory::tenant_of_address(std::string_view address) const {
    const std::string_view domain = policy::domain_of(address);
    return domain.empty() ? nullptr : find_tenant(domain);
}

const AppRegistration* IdentityDirectory::find_app(std::string_view client_id) const {
    for (const auto& a : apps) {
        if (lower(a.client_id) == lower(client_id)) return &a;
    }
    return nullptr;
}

AppRegistration* IdentityDirectory::find_app(std::string_view client_id) {
    return const_cast<AppRegistration*>(std::as_const(*this).find_app(client_id));
}

const UserSignIn* IdentityDirectory::find_user(std::string_view address) const {
    for (const auto& u : users) {
        if (u.address == lower(address)) return &u;
    }
    return nullptr;
}

UserSignIn* IdentityDirectory::find_user(std::string_view address) {
    return const_cast<UserSignIn*>(std::as_const(*this).find_user(address));
}

void IdentityDirectory::validate() const {
    for (const auto& t : tenants) {
        if (!is_guid(t.id)) throw std::invalid_argument("identity tenant " + t.name + ": id is not a GUID");
        if (t.domains.empty()) throw std::invalid_argument("identity tenant " + t.name + ": no verified domain");
    }
    for (const auto& a : apps) {
        if (!is_guid(a.client_id)) throw std::invalid_argument("app " + a.display_name + ": client id is not a GUID");
        if (tenant_by_id(a.home_tenant_id) == nullptr) {
            throw std::invalid_argument("app " + a.display_name + ": unknown home tenant " + a.home_tenant_id);
        }
        for (const auto& [tid, c] : a.consent) {
            if (tenant_by_id(tid) == nullptr) throw std::invalid_argument("app " + a.display_name + ": consent in unknown tenant " + tid);
        }
    }
    for (const auto& u : users) {
        if (tenant_by_id(u.tenant_id) == nullptr) throw std::invalid_argument("user " + u.address + ": unknown tenant");
    }
}

std::string stable_guid(std::string_view text) {
    std::string bytes;
    std::uint64_t h = 1469598103934665603ull;
    for (int round = 0; round < 2; ++round) {
        for (char c : text) {
            h ^= static_cast<unsigned char>(c);
            h *= 1099511628211ull;
        }
        h ^= static_cast<std::uint64_t>(round + 1);
        for (int i = 0; i < 8; ++i) bytes += static_cast<char>((h >> (8 * i)) & 0xFF);
    }
    return guid_from_bytes(bytes);
}

namespace {

// The users of every mailbox with a password (issue 14: "the existing mailboxes sign in with
// their passwords"); mailboxes without one are OAuth-only identities that still sign in nowhere.
void add_users(IdentityDirectory& d) {
    for (const auto& tenant : d.mail->tenants) {
        const IdentityTenant* it = d.find_tenant(tenant.name);
        if (it == nullptr) continue;
        for (const auto& m : tenant.mailboxes) {
            UserSignIn u;
            u.address = lower(m.address);
            u.tenant_id = it->id;
            u.object_id = stable_guid(u.address);
            u.display_name = u.address.substr(0, u.address.find('@'));
            u.password = m.password;
            u.locked = m.locked;
            u.ca_blocked = m.conditional_access_blocked;
            d.users.push_back(std::move(u));
        }
    }
}

AppRegistration print_fleet() {
    AppRegistration a;
    a.client_id = std::string(default_ids::print_fleet);
    a.display_name = "Contoso Print Fleet";
    a.home_tenant_id = std::string(default_ids::contoso_tenant);
    // "Allow public client flows" in Entra enables device code and ROPC together [INFER].
    a.public_client = a.device_code_allowed = a.auth_code_allowed = a.ropc_allowed = true;
    a.redirect_uris = {"https://login.microsoftonline.com/common/oauth2/nativeclient", "http://localhost"};
    a.delegated_scopes = {"https://outlook.office.com/SMTP.Send", "offline_access"};
    a.consent[a.home_tenant_id].admin_delegated = true;
    return a;
}

AppRegistration scan_daemon(std::string certificate_pem) {
    AppRegistration a;
    a.client_id = std::string(default_ids::scan_daemon);
    a.display_name = "Contoso Scan Daemon";
    a.home_tenant_id = std::string(default_ids::contoso_tenant);
    a.auth_code_allowed = false;
    a.secrets = {AppSecret{std::string(default_ids::scan_daemon_secret), std::nullopt}};
    if (!certificate_pem.empty()) a.certificates_pem = {std::move(certificate_pem)};
    a.smtp_send_as_app = true;
    TenantConsent& c = a.consent[a.home_tenant_id];
    c.admin_app_roles = true;
    c.full_access = {"printer@contoso.com"};
    return a;
}

AppRegistration vendor_cloud_print() {
    AppRegistration a;
    a.client_id = std::string(default_ids::vendor_cloud_print);
    a.display_name = "Vendor Cloud Print";
    // A vendor's app lives in the vendor's tenant; the lab has none, so contoso stands in as home.
    a.home_tenant_id = std::string(default_ids::contoso_tenant);
    a.public_client = a.device_code_allowed = a.ropc_allowed = a.multi_tenant = true;
    a.delegated_scopes = {"https://outlook.office.com/SMTP.Send", "offline_access"};
    a.consent[a.home_tenant_id].admin_delegated = true;  // consented in contoso, not in fabrikam
    return a;
}

void mark(IdentityDirectory& d, std::string_view address, bool mfa, bool ca) {
    if (UserSignIn* u = d.find_user(address)) {
        u->mfa_required = u->mfa_required || mfa;
        u->ca_blocked = u->ca_blocked || ca;
    }
}

}  // namespace

IdentityDirectory default_identity_directory(std::shared_ptr<const policy::Directory> mail,
                                             std::string scan_daemon_certificate_pem) {
    IdentityDirectory d;
    d.mail = std::move(mail);
    d.tenants = {
        IdentityTenant{std::string(default_ids::contoso_tenant), "contoso.com", {"contoso.com"}},
        IdentityTenant{std::string(default_ids::fabrikam_tenant), "fabrikam.com", {"fabrikam.com"}},
    };
    for (auto& t : d.tenants) {
        if (const policy::Tenant* pt = d.mail->tenant_for_domain(t.name)) t.domains = pt->accepted_domains;
    }
    add_users(d);
    mark(d, "mfa@contoso.com", true, false);
    mark(d, "blocked@contoso.com", false, true);
    d.apps = {print_fleet(), scan_daemon(std::move(scan_daemon_certificate_pem)), vendor_cloud_print()};
    d.validate();
    return d;
}

IdentityDirectory default_identity_directory(const policy::Directory& mail, std::string scan_daemon_certificate_pem) {
    return default_identity_directory(std::make_shared<const policy::Directory>(mail),
                                      std::move(scan_daemon_certificate_pem));
}

}  // namespace exosim::identity
