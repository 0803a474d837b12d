// The device lab kit's configuration: Exchange TLS defaults, the DNS zone from the tenants, and
// the serve flags.
#include <gtest/gtest.h>

#include <algorithm>

#include "app/cli.hpp"
#include "app/config.hpp"
#include "app/lab_dns.hpp"
#include "app/profiles.hpp"
#include "transport/exchange_tls.hpp"

namespace exosim::app {
namespace {

using core::TlsVersion;

TEST(LabKit, ExchangeListenersOfferTls12AtMostByDefault) {
    AppConfig c = load_config(std::nullopt);
    for (const auto& l : c.listeners) EXPECT_EQ(l.tls.max, TlsVersion::tls1_2) << l.name;
    // A file that leaves `max` out gets 1.2 on an Exchange profile, 1.3 on rfc; `max` is kept.
    AppConfig f = load_config_text(
        "listeners:\n"
        "  - {name: a, profile: exo-submission, port: 0, tls: {min: \"1.0\"}}\n"
        "  - {name: b, profile: exo-mx, port: 0, tls: {max: \"1.3\"}}\n"
        "  - {name: c, profile: rfc, port: 0}\n"
        "  - {name: d, profile: exo-submission, port: 0, tls: {min: \"1.3\"}}\n",
        "test.yaml", load_config(std::nullopt));
    EXPECT_EQ(f.listeners[0].tls.max, TlsVersion::tls1_2);
    EXPECT_EQ(f.listeners[1].tls.max, TlsVersion::tls1_3);
    EXPECT_EQ(f.listeners[2].tls.max, TlsVersion::tls1_3);
    EXPECT_EQ(f.listeners[3].tls.max, TlsVersion::tls1_3);  // min 1.3 alone: not lowered below it
}

TEST(LabKit, ExchangeListenersGetMicrosoftsSuitesUnlessTheySetCiphers) {
    AppConfig c = load_config(std::nullopt);
    c.listeners[1].tls.ciphers = "ECDHE-RSA-CHACHA20-POLY1305";
    c.listeners.push_back(c.listeners[0]);
    c.listeners.back().name = "plain";
    c.listeners.back().profile = "rfc";
    auto effective = effective_listeners(c);
    EXPECT_EQ(effective[0].tls.ciphers, transport::exchange_tls12_ciphers);
    EXPECT_EQ(effective[0].tls.legacy_ciphers, transport::exchange_legacy_ciphers);
    EXPECT_TRUE(effective[0].tls.server_preference);
    EXPECT_EQ(effective[1].tls.ciphers, "ECDHE-RSA-CHACHA20-POLY1305");
    EXPECT_TRUE(effective[1].tls.legacy_ciphers.empty());
    EXPECT_TRUE(effective.back().tls.ciphers.empty());
    EXPECT_FALSE(effective.back().tls.server_preference);
}

TEST(LabKit, ConnectorTrustedCaReachesTheMxListener) {
    AppConfig c = load_config(std::nullopt);
    c.directory.tenants[0].connectors[0].trusted_ca = "/lab/vendor-ca.pem";
    for (const auto& l : effective_listeners(c))
        EXPECT_EQ(l.tls.client_ca_files, (l.profile == "exo-mx" ? std::vector<std::string>{"/lab/vendor-ca.pem"}
                                                                : std::vector<std::string>{}))
            << l.name;
    AppConfig round = load_config_text(to_yaml(c), "emitted");
    EXPECT_EQ(round.directory.tenants[0].connectors[0].trusted_ca, "/lab/vendor-ca.pem");
}

TEST(LabKit, DnsZoneFromTheDefaultTenants) {
    lab::dns::Zone z = lab_zone(load_config(std::nullopt), "192.0.2.5");
    ASSERT_TRUE(z.v4);
    EXPECT_EQ((*z.v4)[3], 5);
    for (const char* host : {"smtp.office365.com", "contoso-com.mail.protection.outlook.com",
                             "fabrikam-com.mail.protection.outlook.com", "login.microsoftonline.com"})
        EXPECT_NE(std::find(z.hosts.begin(), z.hosts.end(), host), z.hosts.end()) << host;
    ASSERT_EQ(z.mail.size(), 2u);
    EXPECT_EQ(z.mail[0].domain, "contoso.com");
    EXPECT_EQ(z.mail[0].mx_hosts, std::vector<std::string>{"contoso-com.mail.protection.outlook.com"});
    EXPECT_EQ(z.mail[0].txt, std::vector<std::string>{"v=spf1 ip4:203.0.113.10 -all"});
    EXPECT_TRUE(z.mail[1].txt.empty());  // fabrikam.com has no SPF record
    EXPECT_EQ(z.owned_zones, (std::vector<std::string>{"mail.protection.outlook.com", "contoso.com", "fabrikam.com"}));
    EXPECT_THROW(lab_zone(load_config(std::nullopt), "0.0.0.0"), std::invalid_argument);
    EXPECT_THROW(lab_zone(load_config(std::nullopt), "lab.example"), std::invalid_argument);
}

TEST(LabKit, ServeFlags) {
    ServeOptions o = parse_serve_options({"--dns", "--evidence"});
    EXPECT_TRUE(o.dns);
    EXPECT_TRUE(o.evidence);
    AppConfig c = load_config(std::nullopt);
    apply_overrides(c, o);
    for (const auto& l : c.listeners) EXPECT_TRUE(l.tls.evidence) << l.name;
    ServeOptions none = parse_serve_options({});
    EXPECT_FALSE(none.dns || none.evidence);
}

}  // namespace
}  // namespace exosim::app
