// Tenant settings and mailbox fields by name: every key, the value spellings, clear errors.
#include "policy/tenant_fields.hpp"

#include <gtest/gtest.h>

namespace exosim::policy {
namespace {

std::string error_of(auto&& f) {
    try {
        f();
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "(no error)";
}

TEST(TenantFields, EverySettingKeyRoundTrips) {
    TenantSettings s;
    for (std::string_view key : tenant_setting_keys()) {
        const std::string before = tenant_setting_text(s, key);
        set_tenant_setting(s, key, before);
        EXPECT_EQ(tenant_setting_text(s, key), before) << key;
    }
    set_tenant_setting(s, "smtp_auth_disabled", "$true");
    set_tenant_setting(s, "reject_direct_send", "yes");
    set_tenant_setting(s, "recipients_per_message", "1000");
    set_tenant_setting(s, "reply_style", "legacy");
    set_tenant_setting(s, "external_relay_reply", "unable_to_relay");
    EXPECT_TRUE(s.smtp_auth_disabled);
    EXPECT_TRUE(s.reject_direct_send);
    EXPECT_EQ(s.recipients_per_message, 1000u);
    EXPECT_EQ(s.reply_style, SendAsReplyStyle::legacy);
    EXPECT_EQ(s.external_relay_reply, ExternalRelayReply::unable_to_relay);
}

TEST(TenantFields, RecipientsPerMessageLimitsAtTheEdges) {
    TenantSettings s;
    EXPECT_NO_THROW(set_tenant_setting(s, "recipients_per_message", "1"));
    EXPECT_THROW(set_tenant_setting(s, "recipients_per_message", "0"), std::invalid_argument);
    EXPECT_NO_THROW(set_tenant_setting(s, "recipients_per_message", "1000"));
    EXPECT_THROW(set_tenant_setting(s, "recipients_per_message", "1001"), std::invalid_argument);
    EXPECT_THROW(set_tenant_setting(s, "recipients_per_message", "5x"), std::invalid_argument);
}

TEST(TenantFields, ErrorsNameTheKeyAndWhatIsAllowed) {
    TenantSettings s;
    EXPECT_EQ(error_of([&] { set_tenant_setting(s, "smtp_auth", "true"); }).rfind("unknown tenant setting 'smtp_auth' (known: smtp_auth_disabled, ", 0), 0u);
    EXPECT_EQ(error_of([&] { set_tenant_setting(s, "security_defaults", "maybe"); }),
              "security_defaults: 'maybe' is not true or false");
    MailboxAccount m;
    EXPECT_EQ(error_of([&] { set_mailbox_field(m, "smtp_auth", "off"); }),
              "smtp_auth: 'off' is not inherit, enabled or disabled");
    EXPECT_EQ(error_of([&] { set_mailbox_field(m, "pasword", "x"); }).rfind("unknown mailbox field 'pasword'", 0), 0u);
}

TEST(TenantFields, MailboxFields) {
    MailboxAccount m;
    set_mailbox_field(m, "smtp_auth", "disabled");
    set_mailbox_field(m, "send_as", "noreply@contoso.com, info@contoso.com");
    set_mailbox_field(m, "locked", "true");
    set_mailbox_field(m, "conditional_access_blocked", "1");
    set_mailbox_field(m, "licensed", "false");
    set_mailbox_field(m, "password", "New-Pass");
    EXPECT_EQ(m.smtp_auth, SmtpAuthSetting::disabled);
    EXPECT_EQ(m.send_as, (std::vector<std::string>{"noreply@contoso.com", "info@contoso.com"}));
    EXPECT_TRUE(m.locked);
    EXPECT_TRUE(m.conditional_access_blocked);
    EXPECT_FALSE(m.licensed);
    EXPECT_EQ(m.password, "New-Pass");
    set_mailbox_field(m, "smtp_auth", "$null");
    EXPECT_EQ(m.smtp_auth, SmtpAuthSetting::inherit);
    EXPECT_THROW(set_mailbox_field(m, "send_as", "not-an-address"), std::invalid_argument);
}

}  // namespace
}  // namespace exosim::policy
