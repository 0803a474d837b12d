#pragma once
// The Entra side of the lab tenants (issue 14 "Directory"): tenant ids, app registrations with
// their credentials and consent, and users' sign-in state. Plain data; IdentityService keeps a
// copy that control operations change. Addresses and domains compare case-insensitively.
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "policy/tenant.hpp"

namespace exosim::identity {

struct IdentityTenant {
    std::string id;                    // GUID
    std::string name;                  // policy tenant name ("contoso.com")
    std::vector<std::string> domains;  // verified domains = the tenant's accepted domains
};

struct AppSecret {
    std::string value;
    std::optional<std::chrono::system_clock::time_point> expires;  // nullopt: never
};

// Per tenant the app is used in: what an administrator or users granted.
struct TenantConsent {
    bool admin_delegated = false;            // admin consent for the app's delegated permissions
    bool admin_app_roles = false;            // admin consent for SMTP.SendAsApp
    std::set<std::string> users_consented;   // lower-case addresses that consented themselves
    std::vector<std::string> full_access;    // mailboxes the Exchange service principal has FullAccess on
};

struct AppRegistration {
    std::string client_id;  // GUID
    std::string display_name;
    std::string home_tenant_id;
    bool public_client = false;
    bool device_code_allowed = false;
    bool auth_code_allowed = true;
    bool ropc_allowed = false;
    bool multi_tenant = false;
    bool user_consent_allowed = true;  // false: delegated permissions need admin consent
    std::vector<std::string> redirect_uris;  // exact; "http://localhost" matches any port
    std::vector<AppSecret> secrets;
    std::vector<std::string> certificates_pem;
    // Delegated permissions, as full scope strings ("https://outlook.office.com/SMTP.Send",
    // "offline_access"); openid/profile/email are always allowed as in Entra.
    std::vector<std::string> delegated_scopes;
    bool smtp_send_as_app = false;  // application permission SMTP.SendAsApp requested
    std::map<std::string, TenantConsent> consent;  // by tenant id
};

struct UserSignIn {
    std::string address;    // lower case
    std::string tenant_id;
    std::string object_id;  // GUID (stable, derived from the address)
    std::string display_name;
    std::string password;   // from the mailbox; a password change replaces it
    bool mfa_required = false;
    bool disabled = false;
    bool password_expired = false;
    bool locked = false;
    bool ca_blocked = false;
    // Conditional Access sign-in frequency: refresh tokens older than this need a new sign-in
    // (AADSTS70043). nullopt: not enforced.
    std::optional<std::chrono::seconds> sign_in_frequency;
};

struct IdentityDirectory {
    std::vector<IdentityTenant> tenants;
    std::vector<AppRegistration> apps;
    std::vector<UserSignIn> users;
    // The mail side (send-as, FullAccess of users, tenants' SMTP settings) the SMTP verifier reads.
    std::shared_ptr<const policy::Directory> mail;

    // GUID, verified domain (case-insensitive); nullptr for common/organizations/unknown.
    const IdentityTenant* find_tenant(std::string_view id_or_domain) const;
    const IdentityTenant* tenant_by_id(std::string_view id) const;
    const IdentityTenant* tenant_of_address(std::string_view address) const;
    const AppRegistration* find_app(std::string_view client_id) const;
    AppRegistration* find_app(std::string_view client_id);
    const UserSignIn* find_user(std::string_view address) const;
    UserSignIn* find_user(std::string_view address);

    // Throws std::invalid_argument naming the first problem (an error before serving).
    void validate() const;
};

// A stable GUID-shaped id derived from `text` (FNV-1a; no randomness: user object ids must not
// change across restarts, or refresh tokens would name users that no longer exist).
std::string stable_guid(std::string_view text);

// The embedded default of issue 14 over `mail` (which must hold contoso.com and fabrikam.com, as
// policy::default_directory() does). `scan_daemon_certificate_pem`: the Scan Daemon's certificate
// the app issues at start-up (empty: none registered).
IdentityDirectory default_identity_directory(std::shared_ptr<const policy::Directory> mail,
                                             std::string scan_daemon_certificate_pem = {});

// The same over a copy of `mail`.
IdentityDirectory default_identity_directory(const policy::Directory& mail, std::string scan_daemon_certificate_pem = {});

// Ids of the embedded default (issue 14), for tests, startup output and the README.
namespace default_ids {
inline constexpr std::string_view contoso_tenant = "e5b2c6f0-3a4d-4c1e-9f7a-2d8b1c0e4a11";
inline constexpr std::string_view fabrikam_tenant = "b7d3a9e2-6c1f-4e8a-a5d2-9f0c3b7e1d22";
inline constexpr std::string_view print_fleet = "0d3c5e7a-1b2f-4c6d-8e9a-3f5b7d9c1e33";
inline constexpr std::string_view scan_daemon = "6a8c0e2f-4d1b-4f3a-9c5e-7b9d1f3a5c44";
inline constexpr std::string_view vendor_cloud_print = "9e1f3a5c-7b2d-4e6f-8a0c-2d4f6b8a0e55";
inline constexpr std::string_view scan_daemon_secret = "Exosim-Secret-1";
}  // namespace default_ids

}  // namespace exosim::identity
