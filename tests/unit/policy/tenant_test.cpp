// The tenant model and the embedded default of issue 3.
#include "policy/tenant.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace exosim::policy {
namespace {

TEST(Tenant, DefaultDirectoryIsIssue3) {
    const Directory d = default_directory();
    ASSERT_EQ(d.tenants.size(), 2u);
    const Tenant* contoso = d.tenant_for_mx_host("contoso-com.mail.protection.outlook.com");
    ASSERT_NE(contoso, nullptr);
    EXPECT_EQ(contoso->name, "contoso.com");
    const auto* printer = d.find_mailbox("printer@contoso.com");
    ASSERT_NE(printer, nullptr);
    EXPECT_EQ(printer->password, "Printer-Pass-1");
    EXPECT_TRUE(printer->licensed);
    EXPECT_EQ(printer->smtp_auth, SmtpAuthSetting::enabled);
    EXPECT_EQ(d.find_mailbox("scanner@contoso.com")->smtp_auth, SmtpAuthSetting::disabled);
    EXPECT_EQ(d.find_mailbox("scanner@contoso.com")->password, "Scanner-Pass-1");
    EXPECT_EQ(d.find_mailbox("app@contoso.com")->password, "App-Pass-1");
    EXPECT_EQ(d.find_mailbox("app@contoso.com")->send_as, std::vector<std::string>{"noreply@contoso.com"});
    for (const char* a : {"alice@contoso.com", "bob@contoso.com", "noreply@contoso.com"}) {
        EXPECT_NE(d.find_mailbox(a), nullptr) << a;
    }
    ASSERT_EQ(contoso->connectors.size(), 1u);
    EXPECT_TRUE(contoso->connectors[0].source_ip_ranges[0].contains("203.0.113.10"));
    EXPECT_EQ(contoso->connectors[0].certificate_domain, "contoso.com");

    const Tenant* fabrikam = d.tenant_for_mx_host("FABRIKAM-COM.mail.protection.outlook.com");
    ASSERT_NE(fabrikam, nullptr);
    EXPECT_TRUE(fabrikam->settings.smtp_auth_disabled);
    EXPECT_EQ(d.find_mailbox("Device@Fabrikam.com")->password, "Device-Pass-1");
    EXPECT_TRUE(d.is_blocked("198.51.100.66"));
    EXPECT_FALSE(d.is_blocked("198.51.100.67"));
    EXPECT_EQ(d.tenant_for_domain("example.net"), nullptr);
    EXPECT_NO_THROW(d.validate());
}

TEST(Tenant, AddressMapStandsInForPublicAddresses) {
    const Directory d = default_directory();
    EXPECT_EQ(d.address_map.seen("127.0.0.10"), "203.0.113.10");
    EXPECT_EQ(d.address_map.seen("127.0.0.66"), "198.51.100.66");
    EXPECT_EQ(d.address_map.seen("127.0.0.1"), "192.0.2.1");
    EXPECT_EQ(d.address_map.seen("::1"), "192.0.2.1");
    EXPECT_EQ(d.address_map.seen("10.1.2.3"), "10.1.2.3");  // a lab device keeps its address
    AddressMap all = d.address_map;
    all.map_non_loopback = true;
    EXPECT_EQ(all.seen("10.1.2.3"), "192.0.2.1");
}

TEST(Tenant, IpRangeAtBoundaries) {
    const auto r = IpRange::parse("203.0.113.0/24");
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->contains("203.0.113.0"));
    EXPECT_TRUE(r->contains("203.0.113.255"));
    EXPECT_FALSE(r->contains("203.0.114.0"));
    EXPECT_FALSE(r->contains("2001:db8::1"));
    const auto r6 = IpRange::parse("2001:db8::/32");
    ASSERT_TRUE(r6);
    EXPECT_TRUE(r6->contains("2001:db8:ffff::1"));
    EXPECT_FALSE(r6->contains("2001:db9::1"));
    EXPECT_TRUE(IpRange::parse("10.0.0.0/0")->contains("1.2.3.4"));
    EXPECT_TRUE(IpRange::parse("10.0.0.1/31")->contains("10.0.0.0"));
    EXPECT_FALSE(IpRange::parse("10.0.0.1/32")->contains("10.0.0.0"));
    EXPECT_FALSE(IpRange::parse("10.0.0.0/33"));
    EXPECT_FALSE(IpRange::parse("not-an-ip"));
    EXPECT_FALSE(IpRange::parse("10.0.0.0/"));
    EXPECT_EQ(IpRange::parse("203.0.113.10")->str(), "203.0.113.10/32");
}

TEST(Tenant, ValidateRejectsUnservableConfig) {
    Directory d = default_directory();
    d.tenants[0].settings.recipients_per_message = 0;
    EXPECT_THROW(d.validate(), std::invalid_argument);
    d.tenants[0].settings.recipients_per_message = 1001;
    EXPECT_THROW(d.validate(), std::invalid_argument);
    d.tenants[0].settings.recipients_per_message = 1000;
    EXPECT_NO_THROW(d.validate());
    d.tenants[0].connectors[0].certificate_domain = "example.net";  // not an accepted domain
    EXPECT_THROW(d.validate(), std::invalid_argument);
    Directory dup = default_directory();
    dup.tenants[1].accepted_domains.push_back("contoso.com");
    EXPECT_THROW(dup.validate(), std::invalid_argument);
}

}  // namespace
}  // namespace exosim::policy
