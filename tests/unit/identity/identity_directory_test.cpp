// The embedded default of issue 14, exactly.
#include "identity/identity_directory.hpp"

#include <gtest/gtest.h>

namespace exosim::identity {
namespace {

TEST(IdentityDirectory, EmbeddedDefault) {
    const policy::Directory mail = policy::default_directory();
    const IdentityDirectory d = default_identity_directory(mail, "PEM");
    ASSERT_EQ(d.tenants.size(), 2u);
    EXPECT_EQ(d.find_tenant("contoso.com")->id, "e5b2c6f0-3a4d-4c1e-9f7a-2d8b1c0e4a11");
    EXPECT_EQ(d.find_tenant("FABRIKAM.com")->id, "b7d3a9e2-6c1f-4e8a-a5d2-9f0c3b7e1d22");
    EXPECT_EQ(d.find_tenant("b7d3a9e2-6c1f-4e8a-a5d2-9f0c3b7e1d22")->name, "fabrikam.com");
    EXPECT_EQ(d.find_tenant("common"), nullptr);
    ASSERT_EQ(d.apps.size(), 3u);
    const AppRegistration* fleet = d.find_app("0d3c5e7a-1b2f-4c6d-8e9a-3f5b7d9c1e33");
    ASSERT_NE(fleet, nullptr);
    EXPECT_EQ(fleet->display_name, "Contoso Print Fleet");
    EXPECT_TRUE(fleet->public_client && fleet->device_code_allowed && fleet->auth_code_allowed);
    EXPECT_EQ(fleet->redirect_uris, (std::vector<std::string>{
                                        "https://login.microsoftonline.com/common/oauth2/nativeclient", "http://localhost"}));
    EXPECT_EQ(fleet->delegated_scopes,
              (std::vector<std::string>{"https://outlook.office.com/SMTP.Send", "offline_access"}));
    EXPECT_TRUE(fleet->consent.at("e5b2c6f0-3a4d-4c1e-9f7a-2d8b1c0e4a11").admin_delegated);
    const AppRegistration* daemon = d.find_app("6a8c0e2f-4d1b-4f3a-9c5e-7b9d1f3a5c44");
    ASSERT_NE(daemon, nullptr);
    EXPECT_EQ(daemon->display_name, "Contoso Scan Daemon");
    EXPECT_FALSE(daemon->public_client);
    EXPECT_EQ(daemon->secrets.at(0).value, "Exosim-Secret-1");
    EXPECT_EQ(daemon->certificates_pem, std::vector<std::string>{"PEM"});
    const TenantConsent& dc = daemon->consent.at("e5b2c6f0-3a4d-4c1e-9f7a-2d8b1c0e4a11");
    EXPECT_TRUE(dc.admin_app_roles);
    EXPECT_EQ(dc.full_access, std::vector<std::string>{"printer@contoso.com"});
    const AppRegistration* vendor = d.find_app("9e1f3a5c-7b2d-4e6f-8a0c-2d4f6b8a0e55");
    ASSERT_NE(vendor, nullptr);
    EXPECT_EQ(vendor->display_name, "Vendor Cloud Print");
    EXPECT_TRUE(vendor->multi_tenant && vendor->device_code_allowed && vendor->public_client);
    EXPECT_EQ(vendor->consent.count("b7d3a9e2-6c1f-4e8a-a5d2-9f0c3b7e1d22"), 0u);
    EXPECT_TRUE(d.find_user("mfa@contoso.com")->mfa_required);
    EXPECT_EQ(d.find_user("mfa@contoso.com")->password, "Mfa-Pass-1");
    EXPECT_TRUE(d.find_user("blocked@contoso.com")->ca_blocked);
    EXPECT_EQ(d.find_user("printer@contoso.com")->password, "Printer-Pass-1");
    EXPECT_EQ(d.find_user("printer@contoso.com")->object_id, stable_guid("printer@contoso.com"));
    EXPECT_EQ(d.find_user("device@fabrikam.com")->tenant_id, "b7d3a9e2-6c1f-4e8a-a5d2-9f0c3b7e1d22");
    // Both test users are mailboxes with SMTP AUTH enabled.
    for (const char* a : {"mfa@contoso.com", "blocked@contoso.com"}) {
        ASSERT_NE(mail.find_mailbox(a), nullptr) << a;
        EXPECT_EQ(mail.find_mailbox(a)->smtp_auth, policy::SmtpAuthSetting::enabled) << a;
    }
}

TEST(IdentityDirectory, ValidateRefusesBrokenDirectories) {
    IdentityDirectory d = default_identity_directory(policy::default_directory());
    d.tenants[0].id = "not-a-guid";
    EXPECT_THROW(d.validate(), std::invalid_argument);
    d = default_identity_directory(policy::default_directory());
    d.apps[0].home_tenant_id = "11111111-1111-4111-8111-111111111111";
    EXPECT_THROW(d.validate(), std::invalid_argument);
    d = default_identity_directory(policy::default_directory());
    d.apps[0].client_id = "x";
    EXPECT_THROW(d.validate(), std::invalid_argument);
}

TEST(IdentityDirectory, StableGuidsAreGuids) {
    EXPECT_EQ(stable_guid("a"), stable_guid("a"));
    EXPECT_NE(stable_guid("a"), stable_guid("b"));
    EXPECT_EQ(stable_guid("a").size(), 36u);
}

}  // namespace
}  // namespace exosim::identity
