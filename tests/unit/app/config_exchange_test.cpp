// The Exchange Online sections: the embedded tenant set of issue 3, errors naming file/line/key,
// --print-config round trip, and how listeners are resolved for the transport.
#include <gtest/gtest.h>

#include "app/config.hpp"
#include "app/profiles.hpp"

namespace exosim::app {
namespace {

std::string error_of(const std::string& yaml) {
    try {
        load_config_text(yaml, "lab.yaml", load_config(std::nullopt));
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "(no error)";
}

TEST(ConfigExchange, EmbeddedTenantsAreExactlyIssue3s) {
    const AppConfig c = load_config(std::nullopt);
    const policy::Directory& d = c.directory;
    ASSERT_EQ(d.tenants.size(), 2u);
    const policy::Tenant& contoso = d.tenants[0];
    EXPECT_EQ(contoso.name, "contoso.com");
    EXPECT_EQ(contoso.mx_host, "contoso-com.mail.protection.outlook.com");
    const auto* printer = contoso.find_mailbox("printer@contoso.com");
    ASSERT_NE(printer, nullptr);
    EXPECT_EQ(printer->password, "Printer-Pass-1");
    EXPECT_TRUE(printer->licensed);
    EXPECT_EQ(printer->smtp_auth, policy::SmtpAuthSetting::enabled);
    const auto* scanner = contoso.find_mailbox("scanner@contoso.com");
    ASSERT_NE(scanner, nullptr);
    EXPECT_EQ(scanner->password, "Scanner-Pass-1");
    EXPECT_EQ(scanner->smtp_auth, policy::SmtpAuthSetting::disabled);
    const auto* app = contoso.find_mailbox("app@contoso.com");
    ASSERT_NE(app, nullptr);
    EXPECT_EQ(app->password, "App-Pass-1");
    EXPECT_EQ(app->send_as, std::vector<std::string>{"noreply@contoso.com"});
    EXPECT_NE(contoso.find_mailbox("alice@contoso.com"), nullptr);
    EXPECT_NE(contoso.find_mailbox("bob@contoso.com"), nullptr);
    ASSERT_EQ(contoso.connectors.size(), 1u);
    EXPECT_TRUE(contoso.connectors[0].source_ip_ranges.at(0).contains("203.0.113.10"));
    EXPECT_EQ(contoso.connectors[0].certificate_domain, "contoso.com");
    const policy::Tenant& fabrikam = d.tenants[1];
    EXPECT_EQ(fabrikam.mx_host, "fabrikam-com.mail.protection.outlook.com");
    EXPECT_TRUE(fabrikam.settings.smtp_auth_disabled);
    ASSERT_NE(fabrikam.find_mailbox("device@fabrikam.com"), nullptr);
    EXPECT_EQ(fabrikam.find_mailbox("device@fabrikam.com")->password, "Device-Pass-1");
    EXPECT_TRUE(d.is_blocked("198.51.100.66"));
    EXPECT_FALSE(d.is_blocked("198.51.100.67"));
    EXPECT_EQ(d.tenant_for_domain("example.net"), nullptr);
    EXPECT_NO_THROW(validate(c));
}

TEST(ConfigExchange, PrintedConfigLoadsBackToTheSameText) {
    AppConfig c = load_config_text("clock: virtual\nexchange: {auth_tarpit: 0.25, implicit_tls: refuse, "
                                   "limits: {messages_per_minute: 7}}\n",
                                   "lab.yaml", load_config(std::nullopt));
    c.directory.tenants[0].mailboxes[0].locked = true;
    const std::string once = to_yaml(c);
    const AppConfig again = load_config_text(once, "<printed>");
    EXPECT_EQ(to_yaml(again), once);
    EXPECT_EQ(again.clock, ClockMode::virtual_clock);
    EXPECT_EQ(again.exchange.auth_tarpit, std::chrono::milliseconds(250));
    EXPECT_EQ(again.exchange.implicit_tls, policy::exo::ImplicitTlsBehaviour::refuse);
    EXPECT_EQ(again.throttle.messages_per_minute, 7u);
    EXPECT_TRUE(again.directory.tenants[0].mailboxes[0].locked);
}

TEST(ConfigExchange, ExchangeSectionReplacesWithDefaultsForKeysLeftOut) {
    const AppConfig c = load_config_text("exchange: {auth_tarpit: 0}\n", "lab.yaml", load_config(std::nullopt));
    EXPECT_EQ(c.exchange.auth_tarpit, std::chrono::milliseconds(0));
    EXPECT_EQ(c.exchange.max_message_size, 157286400u);
    EXPECT_EQ(c.directory.tenants.size(), 2u);  // other sections stay
}

TEST(ConfigExchange, ErrorsNameFileLineAndKey) {
    EXPECT_EQ(error_of("clock: fast\n"), "lab.yaml:1:8: clock: 'fast' is not one of real|virtual");
    std::string e = error_of("exchange:\n  auth_tarpit: 0\n  tarpit: 5\n");
    EXPECT_EQ(e.rfind("lab.yaml:3:3: exchange.tarpit: unknown key", 0), 0u) << e;
    e = error_of("exchange: {implicit_tls: loud}\n");
    EXPECT_NE(e.find("exchange.implicit_tls: 'loud' is not one of silent|refuse|serve"), std::string::npos) << e;
    e = error_of("tenants:\n  - name: t\n    accepted_domains: [t.example]\n    mailboxes:\n"
                 "      - {address: a@t.example, smtp_auth: sometimes}\n");
    EXPECT_EQ(e.rfind("lab.yaml:5:", 0), 0u) << e;
    EXPECT_NE(e.find("tenants[0].mailboxes[0].smtp_auth: smtp_auth: 'sometimes' is not inherit, enabled or disabled"),
              std::string::npos)
        << e;
    e = error_of("tenants:\n  - name: t\n    accepted_domains: [t.example]\n    settings: {rejectdirectsend: true}\n");
    EXPECT_NE(e.find("tenants[0].settings.rejectdirectsend: unknown tenant setting"), std::string::npos) << e;
    e = error_of("tenants:\n  - name: t\n    accepted_domains: [t.example]\n    mailboxes: [{address: a@other.example}]\n");
    EXPECT_NE(e.find("outside the accepted domains"), std::string::npos) << e;
    e = error_of("tenants:\n  - name: t\n    accepted_domains: [t.example]\n    connectors: [{name: c, source_ips: [300.1.1.1]}]\n");
    EXPECT_NE(e.find("tenants[0].connectors[0].source_ips[0]: '300.1.1.1' is not an IP address"), std::string::npos) << e;
    e = error_of("blocked_ips: [nope]\n");
    EXPECT_NE(e.find("blocked_ips[0]: 'nope' is not an IP address"), std::string::npos) << e;
    e = error_of("spf_records: {example.net: \"ip4:1.2.3.4\"}\n");
    EXPECT_NE(e.find("spf_records.example.net: an SPF record starts with v=spf1"), std::string::npos) << e;
    e = error_of("exchange: {limits: {max_concurrent_sessions: 0}}\n");
    EXPECT_NE(e.find("exchange.limits.max_concurrent_sessions: must be above 0"), std::string::npos) << e;
}

TEST(ConfigExchange, ListenersAsTheTransportRunsThem) {
    AppConfig c = load_config(std::nullopt);
    auto ls = effective_listeners(c);
    EXPECT_EQ(ls[3].behaviour, transport::ListenerBehaviour::blackhole);  // implicit_tls: silent
    EXPECT_TRUE(ls[2].tls.request_client_cert);
    c.exchange.implicit_tls = policy::exo::ImplicitTlsBehaviour::refuse;
    EXPECT_EQ(effective_listeners(c)[3].behaviour, transport::ListenerBehaviour::refuse);
    c.exchange.implicit_tls = policy::exo::ImplicitTlsBehaviour::serve;
    ls = effective_listeners(c);
    EXPECT_EQ(ls[3].behaviour, transport::ListenerBehaviour::smtp);
    EXPECT_EQ(ls[3].tls.mode, transport::TlsMode::implicit);
    EXPECT_EQ(ls[0].behaviour, transport::ListenerBehaviour::smtp);
}

TEST(ConfigExchange, ExoProfilesNeedTheRuntime) {
    const AppConfig c = load_config(std::nullopt);
    EXPECT_THROW(make_policy_factory(c, nullptr), std::invalid_argument);
}

}  // namespace
}  // namespace exosim::app
