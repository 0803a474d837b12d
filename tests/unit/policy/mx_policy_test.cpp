// exo-mx: direct send, connector relay by IP and certificate, blocked IPs, SPF stamping.
#include "policy/exchange_online/mx_policy.hpp"

#include <gtest/gtest.h>

#include "policy/exchange_online/spf.hpp"
#include "policy/exo_test_support.hpp"

namespace exosim::policy::exo {
namespace {

using namespace testing;
using core::Decision;
using core::TlsVersion;

std::string rendered(const Decision& d) { return d.reply ? d.reply->render() : std::string("<none>"); }

struct Mx : ::testing::Test {
    Fixture fx;
    std::string tail() const { return std::string(" ") + mx_bracket_at_reference + "\r\n"; }
    // RCPT decision for a client seen at `ip` sending from `from`.
    Decision rcpt(const std::string& ip, const std::string& from, const std::string& to,
                  core::SessionState* custom = nullptr) {
        MxPolicy p(fx.env());
        core::SessionState s = custom ? *custom : state(ip);
        s.envelope.reverse_path = path(from);
        return p.on_rcpt(s, path(to), {});
    }
};

TEST_F(Mx, BannerAndEhloWithoutAuth) {
    MxPolicy p(fx.env());
    const auto s = state("203.0.113.10");
    EXPECT_EQ(rendered(p.on_connect(s)),
              "220 SG2PEPF000B66CE.mail.protection.outlook.com Microsoft ESMTP MAIL Service ready at Sun, 23 Nov 2025 "
              "11:12:20 +0000 [08DE2A6028D26C22]\r\n");
    EXPECT_EQ(p.ehlo_greeting(s), "SG2PEPF000B66CE.mail.protection.outlook.com Hello [203.0.113.10]");
    EXPECT_TRUE(p.capabilities(s).has("STARTTLS"));
    EXPECT_FALSE(p.capabilities(s).has("AUTH"));
    EXPECT_FALSE(p.capabilities(state("203.0.113.10", TlsVersion::tls1_2)).has("STARTTLS"));
    EXPECT_FALSE(p.capabilities(state("203.0.113.10", TlsVersion::tls1_2)).has("AUTH"));
}

TEST_F(Mx, DirectSendToAcceptedDomain) {
    EXPECT_EQ(rendered(rcpt("192.0.2.1", "someone@example.net", "alice@contoso.com")), "250 2.1.5 Recipient OK\r\n");
    EXPECT_EQ(rendered(rcpt("192.0.2.1", "printer@contoso.com", "alice@contoso.com")), "250 2.1.5 Recipient OK\r\n");
    EXPECT_EQ(rendered(rcpt("192.0.2.1", "someone@example.net", "nobody@contoso.com")),
              "550 5.4.1 Recipient address rejected: Access denied." + tail());
}

TEST_F(Mx, ExternalRecipientRejectedWithoutConnector) {
    EXPECT_EQ(rendered(rcpt("192.0.2.1", "printer@contoso.com", "x@example.net")),
              "550 5.7.64 TenantAttribution; Relay Access Denied" + tail());
    fx.directory->tenants[0].settings.external_relay_reply = ExternalRelayReply::relay_access_denied;
    EXPECT_EQ(rendered(rcpt("192.0.2.1", "printer@contoso.com", "x@example.net")),
              "550 5.4.1 Relay Access Denied" + tail());
    fx.directory->tenants[0].settings.external_relay_reply = ExternalRelayReply::unable_to_relay;
    EXPECT_EQ(rendered(rcpt("192.0.2.1", "printer@contoso.com", "x@example.net")),
              "550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain" + tail());
}

TEST_F(Mx, ConnectorByIpRelaysForAcceptedSenders) {
    EXPECT_EQ(rendered(rcpt("203.0.113.10", "printer@contoso.com", "x@example.net")), "250 2.1.5 Recipient OK\r\n");
    EXPECT_EQ(rendered(rcpt("203.0.113.10", "printer@example.org", "x@example.net")),
              "550 5.7.64 TenantAttribution; Relay Access Denied" + tail());
    EXPECT_EQ(rendered(rcpt("203.0.113.11", "printer@contoso.com", "x@example.net")).substr(0, 14), "550 5.7.64 Ten");
}

TEST_F(Mx, ConnectorByCertificateNeedsTls12AndVerifiedName) {
    auto s = state("192.0.2.1", TlsVersion::tls1_2);
    s.tls.client_cert_names = {"mfp01.contoso.com"};
    s.tls.client_cert_verified = true;
    EXPECT_EQ(rendered(rcpt("", "printer@contoso.com", "x@example.net", &s)), "250 2.1.5 Recipient OK\r\n");
    s.tls.client_cert_verified = false;
    EXPECT_EQ(rcpt("", "printer@contoso.com", "x@example.net", &s).kind, Decision::Kind::reject);
    s.tls.client_cert_verified = true;
    s.tls.version = TlsVersion::tls1_1;
    EXPECT_EQ(rcpt("", "printer@contoso.com", "x@example.net", &s).kind, Decision::Kind::reject);
    s.tls.version = TlsVersion::tls1_3;
    s.tls.client_cert_names = {"contoso.com.evil.example"};
    EXPECT_EQ(rcpt("", "printer@contoso.com", "x@example.net", &s).kind, Decision::Kind::reject);
    s.tls.client_cert_names = {"*.contoso.com"};
    EXPECT_EQ(rcpt("", "printer@contoso.com", "x@example.net", &s).kind, Decision::Kind::proceed);
    EXPECT_TRUE(certificate_names_domain("CONTOSO.com", "contoso.com"));
    EXPECT_FALSE(certificate_names_domain("notcontoso.com", "contoso.com"));
}

TEST_F(Mx, ConnectorRequiringTlsIgnoresPlaintext) {
    fx.directory->tenants[0].connectors[0].require_tls = true;
    EXPECT_EQ(rcpt("203.0.113.10", "printer@contoso.com", "x@example.net").kind, Decision::Kind::reject);
    auto s = state("203.0.113.10", TlsVersion::tls1_2);
    EXPECT_EQ(rcpt("", "printer@contoso.com", "x@example.net", &s).kind, Decision::Kind::proceed);
}

TEST_F(Mx, BlockedIpAtRcpt) {
    EXPECT_EQ(rendered(rcpt("198.51.100.66", "x@example.net", "alice@contoso.com")),
              "550 5.7.606 Access denied, banned sending IP [198.51.100.66]. To request removal from this list please "
              "visit https://sender.office.com/ and follow the directions. For more information please go to  "
              "http://go.microsoft.com/fwlink/?LinkID=526655 (AS16012609)" + tail());
}

TEST_F(Mx, RejectDirectSendForAcceptedDomainSenders) {
    fx.directory->tenants[0].settings.reject_direct_send = true;
    EXPECT_EQ(rendered(rcpt("192.0.2.1", "printer@contoso.com", "alice@contoso.com")),
              "550 5.7.68 TenantInboundAttribution; Direct Send not allowed for this organization from unauthorized "
              "sources" + tail());
    EXPECT_EQ(rcpt("192.0.2.1", "partner@example.net", "alice@contoso.com").kind, Decision::Kind::proceed);
    EXPECT_EQ(rcpt("203.0.113.10", "printer@contoso.com", "alice@contoso.com").kind, Decision::Kind::proceed);
}

TEST_F(Mx, TwoHundredRecipientsPerDomain) {
    MxPolicy p(fx.env());
    auto s = state("192.0.2.1");
    s.envelope.reverse_path = path("x@example.net");
    for (int i = 0; i < 199; ++i) s.envelope.recipients.push_back({path("alice@contoso.com"), {}});
    EXPECT_EQ(p.on_rcpt(s, path("bob@contoso.com"), {}).kind, Decision::Kind::proceed);  // 200th
    s.envelope.recipients.push_back({path("alice@contoso.com"), {}});
    EXPECT_EQ(rendered(p.on_rcpt(s, path("bob@contoso.com"), {})), "452 4.5.3 Too many recipients" + tail());
}

TEST(Spf, ResultsAgainstConfiguredRecords) {
    Directory d = default_directory();
    d.spf_records["soft.example"] = "v=spf1 ip4:198.51.100.0/24 ~all";
    d.spf_records["neutral.example"] = "v=spf1 ?all";
    d.spf_records["nomatch.example"] = "v=spf1 ip4:10.0.0.0/8 include:spf.protection.outlook.com";
    d.spf_records["broken.example"] = "v=spf1 ip4:999.1.1.1 -all";
    d.spf_records["v6.example"] = "v=spf1 ip6:2001:db8::/32 -all";
    EXPECT_EQ(evaluate_spf(d, "203.0.113.10", "contoso.com"), SpfResult::pass);
    EXPECT_EQ(evaluate_spf(d, "203.0.113.11", "Contoso.com"), SpfResult::fail);
    EXPECT_EQ(evaluate_spf(d, "192.0.2.1", "soft.example"), SpfResult::softfail);
    EXPECT_EQ(evaluate_spf(d, "198.51.100.7", "soft.example"), SpfResult::pass);
    EXPECT_EQ(evaluate_spf(d, "192.0.2.1", "neutral.example"), SpfResult::neutral);
    EXPECT_EQ(evaluate_spf(d, "192.0.2.1", "nomatch.example"), SpfResult::neutral);
    EXPECT_EQ(evaluate_spf(d, "192.0.2.1", "broken.example"), SpfResult::permerror);
    EXPECT_EQ(evaluate_spf(d, "2001:db8::5", "v6.example"), SpfResult::pass);
    EXPECT_EQ(evaluate_spf(d, "192.0.2.1", "example.net"), SpfResult::none);
    EXPECT_EQ(evaluate_spf(d, "192.0.2.1", ""), SpfResult::none);
}

TEST_F(Mx, StoredCopyCarriesAuthenticationResults) {
    MxPolicy p(fx.env());
    auto s = state("203.0.113.10");
    s.envelope.reverse_path = path("printer@contoso.com");
    s.envelope.recipients.push_back({path("alice@contoso.com"), {}});
    const std::string msg = "From: Printer <printer@contoso.com>\r\nMessage-ID: <scan1@mfp>\r\n\r\nscan\r\n";
    ASSERT_EQ(p.on_message(s, msg).kind, Decision::Kind::proceed);
    EXPECT_EQ(*p.stored_content(s, msg),
              "Received: from printer.local (203.0.113.10) by\r\n SG2PEPF000B66CE.apcprd03.prod.outlook.com with "
              "Microsoft SMTP Server via Frontend Transport;\r\n Sun, 23 Nov 2025 11:12:20 +0000\r\n"
              "Authentication-Results: spf=pass (sender IP is 203.0.113.10)\r\n smtp.mailfrom=contoso.com; dkim=none "
              "(message not signed)\r\n header.d=none;dmarc=none action=none header.from=contoso.com;\r\n"
              "Received-SPF: Pass (protection.outlook.com: domain of contoso.com designates 203.0.113.10 as permitted "
              "sender)\r\n receiver=protection.outlook.com; client-ip=203.0.113.10; helo=printer.local;\r\n" + msg);
    EXPECT_NE(p.stored_content(s, msg)->find("+0000\r\n" + p.stamp_headers(s, msg)), std::string::npos);  // below Received
    EXPECT_EQ(p.annotations_json(s),
              "{\"spf\":\"pass\",\"connector\":\"contoso-devices\",\"connector_match\":\"source_ip\","
              "\"message_id\":\"<scan1@mfp>\"}");
    const auto r = p.message_accepted(s, msg, "store-1").render();
    EXPECT_EQ(r.rfind("250 2.6.0 <scan1@mfp> [InternalId=", 0), 0u);
    EXPECT_NE(r.find(", Hostname=tyzpr06mb6239.apcprd06.prod.outlook.com] " + std::to_string(msg.size()) +
                     " bytes in 0.132, "),
              std::string::npos);
    EXPECT_NE(r.find(" KB/sec Queued mail for delivery\r\n"), std::string::npos);

    auto spoof = state("192.0.2.1");
    spoof.envelope.reverse_path = path("printer@contoso.com");
    ASSERT_EQ(p.on_message(spoof, msg).kind, Decision::Kind::proceed);
    EXPECT_NE(p.stored_content(spoof, msg)->find("\r\nAuthentication-Results: spf=fail (sender IP is 192.0.2.1)"),
              std::string::npos);
}

TEST_F(Mx, StoredCopyGetsAMessageIdWhenTheClientSentNone) {
    MxPolicy p(fx.env());
    auto s = state("203.0.113.10", core::TlsVersion::tls1_2);
    s.envelope.reverse_path = path("printer@contoso.com");
    s.envelope.recipients.push_back({path("alice@contoso.com"), {}});
    const std::string msg = "From: printer@contoso.com\r\n\r\nscan\r\n";
    ASSERT_EQ(p.on_message(s, msg).kind, Decision::Kind::proceed);
    const std::string stored = *p.stored_content(s, msg);
    EXPECT_EQ(stored.rfind("Received: from printer.local (203.0.113.10) by\r\n SG2PEPF000B66CE.apcprd03.prod.outlook.com "
                           "with Microsoft SMTP Server\r\n (version=TLS1_2, cipher=ECDHE-RSA-AES256-GCM-SHA384) via "
                           "Frontend Transport;\r\n Sun, 23 Nov 2025 11:12:20 +0000\r\n", 0),
              0u)
        << stored;
    const auto id_at = stored.find("\r\nMessage-ID: <TYZPR06MB6239");
    ASSERT_NE(id_at, std::string::npos) << stored;
    EXPECT_EQ(stored.substr(stored.size() - msg.size()), msg);
    const std::string id = stored.substr(id_at + 14, stored.find("\r\n", id_at + 2) - id_at - 14);
    EXPECT_EQ(p.message_accepted(s, msg, "store-1").render().rfind("250 2.6.0 " + id + " [InternalId=", 0), 0u);
}

}  // namespace
}  // namespace exosim::policy::exo
