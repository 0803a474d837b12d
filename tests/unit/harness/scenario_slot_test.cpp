// The scenario slot on a live server: sessions that start while a scenario is armed run its
// script (exact bytes on the wire), serve its TLS variant, and end up in the run's trace.
#include "harness/scenario_slot.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "harness/tls_variants.hpp"
#include "scenario/yaml_io.hpp"
#include "transport/server_fixture.hpp"

namespace exosim::harness {
namespace {

using namespace std::chrono_literals;
using test::SmtpTestClient;
using Kind = scenario::TraceEntry::Kind;

std::shared_ptr<const scenario::Scenario> scenario_of(std::string_view yaml) {
    return std::make_shared<const scenario::Scenario>(scenario::parse_scenario_yaml(yaml, "t.yaml", "t"));
}

class SlotTest : public test::ServerFixture {
protected:
    void start_scripted(std::vector<transport::ListenerConfig> listeners) {
        slot_ = std::make_unique<ScenarioSlot>(registry_, [this](const std::map<std::string, std::string>& m) {
            overrides_.push_back(m);
        });
        transport::ServerOptions o;
        o.listeners = std::move(listeners);
        o.threads = 2;
        o.store_threads = 1;
        o.store = store_.get();
        o.registry = &registry_;
        o.ca = ca_;
        o.shutdown_grace = 1s;
        o.close_linger = 100ms;
        o.session_hook = slot_->session_hook(ca_);
        o.policy_factory = [](const transport::ListenerConfig& l, const core::ConnectionInfo&) {
            policy::RfcPolicyConfig c;
            c.hostname = l.hostname;
            c.accounts = {{"printer@contoso.com", "Printer-Pass-1"}};
            c.tls_available = l.tls.mode == transport::TlsMode::starttls;
            c.require_tls_for_auth = true;
            return std::make_unique<policy::RfcPolicy>(std::move(c));
        };
        server_ = std::make_unique<transport::Server>(std::move(o));
        server_->start();
    }
    void TearDown() override {
        server_.reset();
        slot_.reset();
        ServerFixture::TearDown();
    }

    std::unique_ptr<ScenarioSlot> slot_;
    std::vector<std::map<std::string, std::string>> overrides_;
};

TEST_F(SlotTest, UnarmedSessionsAreNeitherScriptedNorTraced) {
    start_scripted({listener("submission")});
    SmtpTestClient c(port("submission"));
    EXPECT_EQ(c.read_reply().substr(0, 4), "220 ");
    c.send("QUIT\r\n");
    EXPECT_EQ(c.read_reply().substr(0, 3), "221");
    EXPECT_EQ(slot_->armed(), nullptr);
    EXPECT_TRUE(slot_->trace().connections.empty());
    EXPECT_EQ(slot_->judge().verdict, scenario::Verdict::error);
}

TEST_F(SlotTest, ArmAppliesTenantOverridesAndClearResetsThem) {
    start_scripted({listener("submission")});
    slot_->arm(scenario_of("tenant: {smtp_auth_disabled: \"true\"}"));
    ASSERT_EQ(overrides_.size(), 2u);  // reset, then the scenario's
    EXPECT_TRUE(overrides_[0].empty());
    EXPECT_EQ(overrides_[1].at("smtp_auth_disabled"), "true");
    slot_->clear();
    EXPECT_TRUE(overrides_.back().empty());
    EXPECT_EQ(slot_->armed(), nullptr);
    EXPECT_THROW(slot_->arm(nullptr), std::invalid_argument);
}

// CC-04: the injected tail leaves in the same write as the 220, then TLS really starts.
TEST_F(SlotTest, ScriptedGreetingAndInjectionAreExactBytesInOneWrite) {
    start_scripted({listener("submission")});
    slot_->arm(scenario_of(R"(
endpoint: submission
server:
  greeting: "220 scripted.example ESMTP"
  rules:
    - on: starttls
      do: {append_raw: "250-evil.example\r\n250 AUTH PLAIN LOGIN\r\n"}
)"));
    SmtpTestClient c(port("submission"));
    EXPECT_EQ(c.read_reply(), "220 scripted.example ESMTP\r\n");
    c.send("EHLO t\r\n");
    EXPECT_EQ(c.read_reply().substr(0, 4), "250-");
    c.send("STARTTLS\r\n");
    std::string all = c.read_available(300ms);
    EXPECT_EQ(all.substr(all.find("\r\n") + 2), "250-evil.example\r\n250 AUTH PLAIN LOGIN\r\n") << all;
    EXPECT_EQ(all.substr(0, 4), "220 ");
    c.send("QUIT\r\n");  // plaintext where a ClientHello is due: the server closes
    ASSERT_TRUE(slot_->wait_idle(1, 5s));

    scenario::Trace trace = slot_->trace();
    ASSERT_EQ(trace.connections.size(), 1u);
    const auto& e = trace.connections[0].entries;
    std::vector<std::string> server_writes;
    for (const auto& m : e)
        if (m.kind == Kind::server_bytes) server_writes.push_back(m.bytes);
    ASSERT_GE(server_writes.size(), 3u);
    EXPECT_EQ(server_writes[0], "220 scripted.example ESMTP\r\n");
    EXPECT_EQ(server_writes[2].substr(server_writes[2].find("\r\n") + 2), "250-evil.example\r\n250 AUTH PLAIN LOGIN\r\n");
    EXPECT_EQ(e.back().kind, Kind::server_closed);
    EXPECT_EQ(slot_->connection_starts().size(), 1u);
}

TEST_F(SlotTest, StallKeepsQuietUntilTheClientLeaves) {
    start_scripted({listener("submission")});
    slot_->arm(scenario_of("server: {rules: [{on: ehlo, do: {stall: true}}]}"));
    {
        SmtpTestClient c(port("submission"));
        EXPECT_EQ(c.read_reply().substr(0, 4), "220 ");
        c.send("EHLO t\r\n");
        EXPECT_EQ(c.read_available(300ms), "");
        EXPECT_EQ(slot_->active_sessions(), 1u);
        EXPECT_FALSE(slot_->wait_idle(1, 50ms));
    }  // the client gives up
    ASSERT_TRUE(slot_->wait_idle(1, 5s));
    auto trace = slot_->trace();
    ASSERT_EQ(trace.connections.size(), 1u);
    EXPECT_EQ(trace.connections[0].entries.back().kind, Kind::client_closed);
}

TEST_F(SlotTest, OnlyTheScenarioEndpointIsScriptedAndAttemptsAreCounted) {
    start_scripted({listener("submission"), listener("mx")});
    slot_->arm(scenario_of(R"(
endpoint: submission
server: {rules: [{on: greeting, when: {attempt: 2}, do: {reply: "421 4.3.2 not now"}}]}
)"));
    for (int i = 0; i < 2; ++i) {
        SmtpTestClient c(port("submission"));
        std::string greeting = c.read_reply();
        EXPECT_EQ(greeting.substr(0, 4), i == 0 ? "220 " : "421 ") << greeting;
        c.send("QUIT\r\n");
        c.read_reply();
        EXPECT_TRUE(slot_->wait_idle(i + 1, 5s));
    }
    SmtpTestClient other(port("mx"));
    EXPECT_EQ(other.read_reply().substr(0, 4), "220 ");
    EXPECT_EQ(slot_->connections(), 2u);

    // A new run starts from attempt 1 with an empty trace.
    slot_->arm(slot_->armed());
    EXPECT_EQ(slot_->connections(), 0u);
    SmtpTestClient again(port("submission"));
    EXPECT_EQ(again.read_reply().substr(0, 4), "220 ");
}

// CC-08: the certificate variant is served for the run, and the client's refusal is traced.
TEST_F(SlotTest, CertificateVariantIsServedAndAFailedHandshakeIsTraced) {
    start_scripted({listener("submission")});
    slot_->arm(scenario_of("server: {tls: {certificate: expired}}"));
    {
        SmtpTestClient c(port("submission"));
        EXPECT_EQ(c.read_reply().substr(0, 4), "220 ");
        c.send("EHLO t\r\n");
        c.read_reply();
        c.send("STARTTLS\r\n");
        ASSERT_EQ(c.read_reply().substr(0, 3), "220");
        EXPECT_FALSE(c.starttls(ca_file()));  // expired: a verifying client refuses
    }
    ASSERT_TRUE(slot_->wait_idle(1, 5s));
    auto trace = slot_->trace();
    ASSERT_EQ(trace.connections.size(), 1u);
    bool failed = false;
    for (const auto& m : trace.connections[0].entries) failed |= m.kind == Kind::tls_failed;
    EXPECT_TRUE(failed);
    EXPECT_TRUE(slot_->errors().empty());

    // The listener's own certificate is back for the next run.
    slot_->arm(scenario_of("server: {tls: {certificate: valid}}"));
    SmtpTestClient ok(port("submission"));
    ok.read_reply();
    ok.send("EHLO t\r\n");
    ok.read_reply();
    ok.send("STARTTLS\r\n");
    ASSERT_EQ(ok.read_reply().substr(0, 3), "220");
    EXPECT_TRUE(ok.starttls(ca_file()));
}

TEST_F(SlotTest, ScriptedVersionRangeIsServed) {
    start_scripted({listener("submission")});
    slot_->arm(scenario_of("server: {tls: {min: \"1.2\", max: \"1.2\"}}"));
    SmtpTestClient c(port("submission"));
    c.read_reply();
    c.send("EHLO t\r\n");
    c.read_reply();
    c.send("STARTTLS\r\n");
    ASSERT_EQ(c.read_reply().substr(0, 3), "220");
    ASSERT_TRUE(c.starttls(ca_file()));
    c.send("QUIT\r\n");
    c.read_reply();
    ASSERT_TRUE(slot_->wait_idle(1, 5s));
    auto findings = slot_->judge();
    ASSERT_EQ(findings.tls_versions.size(), 1u);
    EXPECT_EQ(findings.tls_versions[0], "TLSv1.2");
}

TEST(TlsVariants, ScriptedSettingsReplaceTheRange) {
    transport::TlsSettings listener;
    listener.min = core::TlsVersion::tls1_2;
    listener.max = core::TlsVersion::tls1_3;
    scenario::TlsScript s;
    s.max = "1.1";
    auto out = scripted_settings(listener, s);
    EXPECT_EQ(out.min, core::TlsVersion::tls1_0);  // "only up to 1.1" on a 1.2+ listener: 1.0-1.1
    EXPECT_EQ(out.max, core::TlsVersion::tls1_1);
    s = {};
    s.min = "1.3";
    EXPECT_EQ(scripted_settings(listener, s).min, core::TlsVersion::tls1_3);
    s = {};
    s.min = "1.3";
    s.max = "1.2";
    EXPECT_THROW(scripted_settings(listener, s), std::invalid_argument);
    s = {};
    s.ciphers = "ECDHE-RSA-AES128-GCM-SHA256";
    EXPECT_EQ(scripted_settings(listener, s).ciphers, "ECDHE-RSA-AES128-GCM-SHA256");
    EXPECT_FALSE(is_default_tls(s));
    EXPECT_TRUE(is_default_tls({}));
    EXPECT_EQ(parse_tls_version("TLSv1.2"), core::TlsVersion::tls1_2);
    EXPECT_EQ(parse_tls_version("1.4"), std::nullopt);
}

}  // namespace
}  // namespace exosim::harness
