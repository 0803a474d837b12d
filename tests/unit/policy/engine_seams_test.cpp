// The two engine seams the Exchange Online wiring relies on: an implicit-TLS session counts as TLS
// from the greeting (Engine::tls_established before start()), and the policy's stored copy
// (SessionPolicy::stored_content / annotations_json) is what StoreMessage carries.
#include <gtest/gtest.h>

#include "core/engine.hpp"
#include "policy/exchange_online/factory.hpp"
#include "policy/exo_test_support.hpp"
#include "policy/rfc_policy.hpp"
#include "support/engine_driver.hpp"

namespace exosim::policy::exo {
namespace {

using namespace testing;

core::ConnectionInfo connection(bool implicit) {
    core::ConnectionInfo c;
    c.session_id = session_id;
    c.listener = "implicit";
    c.client_address = "127.0.0.1";
    c.seen_address = "192.0.2.1";
    c.implicit_tls = implicit;
    return c;
}

core::TlsInfo tls(core::TlsVersion v) { return core::TlsInfo{v, "ECDHE-RSA-AES256-GCM-SHA384", {}, false}; }

// The test drives the handshake itself (tls_established), as the transport would.
test::DriverOptions manual_tls() {
    test::DriverOptions o;
    o.tls.reset();
    return o;
}

TEST(ImplicitTls, RfcPolicyAllowsAuthWithoutStarttlsOnImplicitConnection) {
    RfcPolicyConfig cfg;
    cfg.hostname = "mx.test";
    cfg.accounts = {{"user", "pass"}};
    cfg.tls_available = false;  // implicit listener: no STARTTLS to offer; require_tls_for_auth stays true
    RfcPolicy policy(cfg);
    core::Engine engine(policy, connection(true));
    engine.tls_established(tls(core::TlsVersion::tls1_3));
    engine.start();
    test::EngineDriver run{engine, manual_tls()};
    EXPECT_EQ(run.drain().substr(0, 4), "220 ");
    EXPECT_TRUE(engine.state().tls_active());
    EXPECT_EQ(run.feed("EHLO c\r\nAUTH PLAIN AHVzZXIAcGFzcw==\r\n").substr(0, 4), "250-");
    EXPECT_NE(run.wire.find("235 2.7.0"), std::string::npos) << run.wire;
}

TEST(ImplicitTls, IgnoredBeforeStartOnAPlainConnection) {
    RfcPolicyConfig cfg;
    cfg.hostname = "mx.test";
    cfg.accounts = {{"user", "pass"}};
    RfcPolicy policy(cfg);
    core::Engine engine(policy, connection(false));
    engine.tls_established(tls(core::TlsVersion::tls1_3));  // not implicit: a transport bug, no effect
    engine.start();
    EXPECT_FALSE(engine.state().tls_active());
}

TEST(ImplicitTls, ServedExo465SessionIsTlsAndOldVersionsGet421AtAuth) {
    Fixture fx;
    fx.settings.implicit_tls = ImplicitTlsBehaviour::serve;
    {
        auto policy = make_exo_policy("exo-465", fx.env(), connection(true));
        core::Engine engine(*policy, connection(true));
        engine.tls_established(tls(core::TlsVersion::tls1_2));
        engine.start();
        test::EngineDriver run{engine, manual_tls()};
        run.drain();
        const std::string ehlo = run.feed("EHLO printer.local\r\n");
        EXPECT_NE(ehlo.find("250-AUTH LOGIN XOAUTH2\r\n"), std::string::npos) << ehlo;
        EXPECT_EQ(ehlo.find("STARTTLS"), std::string::npos) << ehlo;
    }
    {
        auto policy = make_exo_policy("exo-465", fx.env(), connection(true));
        core::Engine engine(*policy, connection(true));
        engine.tls_established(tls(core::TlsVersion::tls1_0));
        engine.start();
        test::EngineDriver run{engine, manual_tls()};
        run.drain();
        run.feed("EHLO printer.local\r\n");
        EXPECT_EQ(run.feed("AUTH LOGIN\r\n"),
                  "421 4.7.66 TLS 1.0 and 1.1 are not supported. Please upgrade/update your client to support TLS "
                  "1.2. Visit https://aka.ms/smtp_auth_tls. " + std::string(bracket_at_reference) + "\r\n");
        EXPECT_TRUE(engine.closed());
    }
}

TEST(StoredCopy, StoreMessageCarriesThePolicysContentAndAnnotations) {
    Fixture fx;
    auto policy = make_exo_policy("exo-submission", fx.env(), connection(false));
    core::Engine engine(*policy, connection(false));
    engine.start();
    test::EngineDriver run{engine, manual_tls()};
    run.drain();
    run.feed("EHLO printer.local\r\nSTARTTLS\r\n");
    engine.tls_established(tls(core::TlsVersion::tls1_2));
    run.drain();
    run.feed("EHLO printer.local\r\nAUTH LOGIN\r\n");
    run.feed("cHJpbnRlckBjb250b3NvLmNvbQ==\r\n");
    EXPECT_EQ(run.feed("UHJpbnRlci1QYXNzLTE=\r\n"), "235 2.7.0 Authentication successful\r\n");
    run.feed("MAIL FROM:<printer@contoso.com>\r\nRCPT TO:<alice@contoso.com>\r\nDATA\r\n");
    const std::string reply = run.feed("Subject: hi\r\n\r\nbody\r\n.\r\n");
    ASSERT_EQ(run.stored.size(), 1u) << run.wire;
    const core::StoreMessage& m = run.stored[0];
    EXPECT_EQ(m.content.rfind("Received: from printer.local (192.0.2.1) by\r\n", 0), 0u) << m.content;
    const auto id_at = m.content.find("\r\nMessage-ID: <");
    ASSERT_NE(id_at, std::string::npos) << m.content;
    EXPECT_NE(m.content.find("\r\nSubject: hi\r\n\r\nbody\r\n"), std::string::npos) << m.content;
    EXPECT_NE(m.annotations_json.find("\"deliver_after\""), std::string::npos) << m.annotations_json;
    // The 250 names the Message-ID that was stored.
    const auto id_end = m.content.find("\r\n", id_at + 2);
    const std::string id = m.content.substr(id_at + 14, id_end - id_at - 14);
    EXPECT_EQ(reply.rfind("250 2.0.0 OK " + id + " [Hostname=", 0), 0u) << reply;
}

TEST(StoredCopy, RfcPolicyStoresTheReceivedBytes) {
    RfcPolicyConfig cfg;
    cfg.hostname = "mx.test";
    RfcPolicy policy(cfg);
    core::Engine engine(policy, connection(false));
    engine.start();
    test::EngineDriver run{engine, manual_tls()};
    run.drain();
    run.feed("EHLO c\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nDATA\r\nSubject: x\r\n\r\ny\r\n.\r\n");
    ASSERT_EQ(run.stored.size(), 1u) << run.wire;
    EXPECT_EQ(run.stored[0].content, "Subject: x\r\n\r\ny\r\n");
    EXPECT_EQ(run.stored[0].annotations_json, "{}");
}

}  // namespace
}  // namespace exosim::policy::exo
