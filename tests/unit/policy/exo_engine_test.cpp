// End to end through core::Engine: byte scripts in, exact wire bytes out, with the Exchange Online
// policies and a virtual clock (so brackets and banners are deterministic).
#include <gtest/gtest.h>

#include "core/base64.hpp"
#include "core/engine.hpp"
#include "policy/exchange_online/factory.hpp"
#include "policy/exo_test_support.hpp"
#include "support/engine_driver.hpp"

namespace exosim::policy::exo {
namespace {

using namespace testing;

// An Exchange Online profile's engine behind the shared test transport: StartTls completes with
// `version`, every StoreMessage succeeds.
struct ExoParts {
    ExoParts(const std::string& profile, std::shared_ptr<const ExoEnvironment> env, const core::ConnectionInfo& c)
        : policy(make_exo_policy(profile, std::move(env), c)), exo_engine(*policy, c) {}
    std::unique_ptr<core::SessionPolicy> policy;
    core::Engine exo_engine;
};

core::ConnectionInfo connection(const std::string& profile, std::string seen) {
    core::ConnectionInfo c;
    c.session_id = session_id;
    c.listener = profile;
    c.client_address = "127.0.0.1";
    c.seen_address = std::move(seen);
    return c;
}

test::DriverOptions handshake(core::TlsVersion version) {
    test::DriverOptions o;
    o.tls = core::TlsInfo{version, "ECDHE-RSA-AES256-GCM-SHA384", {}, false};
    o.store_id = [](std::size_t) { return std::string("store-1"); };
    return o;
}

struct Wire : private ExoParts, public test::EngineDriver {
    Wire(const std::string& profile, std::shared_ptr<const ExoEnvironment> env, std::string seen,
         core::TlsVersion version = core::TlsVersion::tls1_2)
        : ExoParts(profile, std::move(env), connection(profile, std::move(seen))),
          EngineDriver(exo_engine, handshake(version)) {
        exo_engine.start();
        drain();
    }
    std::string send(std::string_view bytes) { return feed(bytes); }
};

const std::string hello = "250-SY5P282CA0097.outlook.office365.com Hello [192.0.2.1]\r\n";
std::string b() { return std::string(bracket_at_reference); }

TEST(ExoEngine, SubmissionHappyPathExactBytes) {
    Fixture fx;
    Wire w("exo-submission", fx.env(), "192.0.2.1");
    EXPECT_EQ(w.wire,
              "220 SY5P282CA0097.outlook.office365.com Microsoft ESMTP MAIL Service ready at Sun, 23 Nov 2025 "
              "11:12:20 +0000 [08DE2A6028D26C22]\r\n");
    EXPECT_EQ(w.send("EHLO printer.local\r\n"),
              hello + "250-SIZE 157286400\r\n250-PIPELINING\r\n250-DSN\r\n250-ENHANCEDSTATUSCODES\r\n250-STARTTLS\r\n"
                      "250-8BITMIME\r\n250-BINARYMIME\r\n250-CHUNKING\r\n250 SMTPUTF8\r\n");
    EXPECT_EQ(w.send("MAIL FROM:<printer@contoso.com>\r\n"), "451 5.7.3 STARTTLS is required to send mail " + b() + "\r\n");
    EXPECT_EQ(w.send("AUTH LOGIN\r\n"), "504 5.7.4 Unrecognized authentication type " + b() + "\r\n");
    EXPECT_EQ(w.send("STARTTLS\r\n"), "220 2.0.0 SMTP server ready\r\n");
    EXPECT_EQ(w.send("MAIL FROM:<printer@contoso.com>\r\n"), "503 5.5.2 Send hello first " + b() + "\r\n");
    EXPECT_EQ(w.send("EHLO printer.local\r\n"),
              hello + "250-SIZE 157286400\r\n250-PIPELINING\r\n250-DSN\r\n250-ENHANCEDSTATUSCODES\r\n"
                      "250-AUTH LOGIN XOAUTH2\r\n250-8BITMIME\r\n250-BINARYMIME\r\n250-CHUNKING\r\n250 SMTPUTF8\r\n");
    EXPECT_EQ(w.send("AUTH PLAIN AHByaW50ZXJAY29udG9zby5jb20AUHJpbnRlci1QYXNzLTE=\r\n"),
              "504 5.7.4 Unrecognized authentication type " + b() + "\r\n");
    EXPECT_EQ(w.send("AUTH LOGIN\r\n"), "334 VXNlcm5hbWU6\r\n");
    EXPECT_EQ(w.send("cHJpbnRlckBjb250b3NvLmNvbQ==\r\n"), "334 UGFzc3dvcmQ6\r\n");
    EXPECT_EQ(w.send("UHJpbnRlci1QYXNzLTE=\r\n"), "235 2.7.0 Authentication successful\r\n");
    EXPECT_EQ(w.send("MAIL FROM:<printer@contoso.com>\r\nRCPT TO:<alice@contoso.com>\r\nDATA\r\n"),
              "250 2.1.0 Sender OK\r\n250 2.1.5 Recipient OK\r\n354 Start mail input; end with <CRLF>.<CRLF>\r\n");
    EXPECT_EQ(w.send("From: printer@contoso.com\r\nMessage-ID: <scan-1@printer>\r\n\r\nscan\r\n.\r\n"),
              "250 2.0.0 OK <scan-1@printer> [Hostname=SYBP282MB2635.AUSP282.PROD.OUTLOOK.COM]\r\n");
    EXPECT_EQ(w.stored.size(), 1u);
    EXPECT_EQ(w.send("RSET\r\n"), "250 2.0.0 Resetting\r\n");
    EXPECT_EQ(w.send("QUIT\r\n"), "221 2.0.0 Service closing transmission channel\r\n");
}

TEST(ExoEngine, FailedAuthThenMailGets530WithError) {
    Fixture fx;
    fx.settings.auth_tarpit = std::chrono::milliseconds(5000);
    Wire w("exo-submission", fx.env(), "192.0.2.1");
    w.send("EHLO x\r\nSTARTTLS\r\n");
    w.send("EHLO x\r\n");
    // device@fabrikam.com / Device-Pass-1
    EXPECT_EQ(w.send("AUTH LOGIN ZGV2aWNlQGZhYnJpa2FtLmNvbQ==\r\n"), "334 UGFzc3dvcmQ6\r\n");
    const std::string tenant_disabled =
        "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit "
        "https://aka.ms/smtp_auth_disabled for more information.";
    EXPECT_EQ(w.send("RGV2aWNlLVBhc3MtMQ==\r\n"), tenant_disabled + " " + b() + "\r\n");
    EXPECT_EQ(w.pauses, std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(5000)});
    EXPECT_EQ(w.send("MAIL FROM:<device@fabrikam.com>\r\n"),
              "530 5.7.57 Client not authenticated to send mail. Error: " + tenant_disabled + " " + b() + "\r\n");
}

TEST(ExoEngine, Tls10SessionGets421AtAuthAndCloses) {
    Fixture fx;
    Wire w("exo-submission", fx.env(), "192.0.2.1", core::TlsVersion::tls1_0);
    w.send("EHLO x\r\nSTARTTLS\r\n");
    EXPECT_EQ(w.send("EHLO x\r\n").substr(0, 4), "250-");
    EXPECT_EQ(w.send("AUTH LOGIN\r\n"),
              "421 4.7.66 TLS 1.0 and 1.1 are not supported. Please upgrade/update your client to support TLS 1.2. "
              "Visit https://aka.ms/smtp_auth_tls. " + b() + "\r\n");
    EXPECT_TRUE(w.engine().closed());
}

TEST(ExoEngine, SendAsDeniedAfterDataNotStored) {
    Fixture fx;
    const auto token = fx.with_identity().mint("app@contoso.com", std::chrono::seconds(600));
    Wire w("exo-submission", fx.env(), "192.0.2.1");
    w.send("EHLO x\r\nSTARTTLS\r\n");
    w.send("EHLO x\r\n");
    const std::string sasl = core::base64_encode("user=app@contoso.com\x01" "auth=Bearer " + token + "\x01\x01");
    EXPECT_EQ(w.send("AUTH XOAUTH2 " + sasl + "\r\n"), "235 2.7.0 Authentication successful\r\n");
    w.send("MAIL FROM:<app@contoso.com>\r\nRCPT TO:<alice@contoso.com>\r\nDATA\r\n");
    const std::string reply = w.send("From: ceo@contoso.com\r\n\r\nhi\r\n.\r\n");
    EXPECT_EQ(reply.rfind("554 5.2.252 SendAsDenied; app@contoso.com not allowed to send as ceo@contoso.com; ", 0), 0u);
    EXPECT_EQ(w.stored.size(), 0u);
}

// Issue 14: a rejected token is 535 5.7.3 on the wire and a Finding with its reason in the events.
TEST(ExoEngine, Xoauth2RejectionReasonIsAFinding) {
    Fixture fx;
    fx.with_identity();
    Wire w("exo-submission", fx.env(), "192.0.2.1");
    w.send("EHLO x\r\nSTARTTLS\r\n");
    w.send("EHLO x\r\n");
    w.events.clear();  // the driver keeps every event; only the AUTH's matter here
    const std::string sasl = core::base64_encode("user=printer@contoso.com\x01" "auth=Bearer junk\x01\x01");
    EXPECT_EQ(w.send("AUTH XOAUTH2 " + sasl + "\r\n").substr(0, 37), "535 5.7.3 Authentication unsuccessful");
    bool found = false;
    for (const auto& e : w.events) {
        if (const auto* f = std::get_if<core::Finding>(&e)) {
            found = found || (f->rule == "xoauth2-token-rejected" &&
                    f->detail == "not a JWT: not three dot-separated parts");
        }
    }
    EXPECT_TRUE(found);
}

TEST(ExoEngine, MxDirectSendAndRelay) {
    Fixture fx;
    const std::string mxb = mx_bracket_at_reference;
    Wire w("exo-mx", fx.env(), "192.0.2.1");
    EXPECT_EQ(w.wire.rfind("220 SG2PEPF000B66CE.mail.protection.outlook.com Microsoft ESMTP MAIL Service ready at ", 0),
              0u);
    EXPECT_EQ(w.send("EHLO scanner\r\n").find("AUTH"), std::string::npos);
    EXPECT_EQ(w.send("MAIL FROM:<printer@contoso.com>\r\n"), "250 2.1.0 Sender OK\r\n");
    EXPECT_EQ(w.send("RCPT TO:<x@example.net>\r\n"), "550 5.7.64 TenantAttribution; Relay Access Denied " + mxb + "\r\n");
    EXPECT_EQ(w.send("RCPT TO:<nobody@contoso.com>\r\n"),
              "550 5.4.1 Recipient address rejected: Access denied. " + mxb + "\r\n");
    EXPECT_EQ(w.send("RCPT TO:<alice@contoso.com>\r\n"), "250 2.1.5 Recipient OK\r\n");
    EXPECT_EQ(w.send("DATA\r\n"), "354 Start mail input; end with <CRLF>.<CRLF>\r\n");
    EXPECT_EQ(w.send("Subject: scan\r\n\r\nx\r\n.\r\n").rfind("250 2.6.0 <TYZPR06MB6239", 0), 0u);
    EXPECT_EQ(w.stored.size(), 1u);

    Wire relay("exo-mx", fx.env(), "203.0.113.10");
    relay.send("EHLO mfp.contoso.com\r\nMAIL FROM:<printer@contoso.com>\r\n");
    EXPECT_EQ(relay.send("RCPT TO:<x@example.net>\r\n"), "250 2.1.5 Recipient OK\r\n");

    Wire blocked("exo-mx", fx.env(), "198.51.100.66");
    blocked.send("EHLO spam\r\nMAIL FROM:<a@example.net>\r\n");
    EXPECT_EQ(blocked.send("RCPT TO:<alice@contoso.com>\r\n").substr(0, 56),
              "550 5.7.606 Access denied, banned sending IP [198.51.100");
}

TEST(ExoEngine, UnknownProfileIsAConfigurationError) {
    Fixture fx;
    EXPECT_THROW(make_exo_policy("exo-nope", fx.env(), {}), std::invalid_argument);
    EXPECT_TRUE(is_exo_profile("exo-465"));
    EXPECT_FALSE(is_exo_profile("rfc"));
}

}  // namespace
}  // namespace exosim::policy::exo
