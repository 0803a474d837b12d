// exo-submission / exo-legacy decisions, called directly (the engine is exercised in exo_engine_test).
#include "policy/exchange_online/client_submission.hpp"

#include <gtest/gtest.h>

#include <functional>

#include "policy/exchange_online/replies.hpp"
#include "policy/exo_test_support.hpp"

namespace exosim::policy::exo {
namespace {

using namespace testing;
using core::Decision;
using core::TlsVersion;

std::string rendered(const Decision& d) { return d.reply ? d.reply->render() : std::string("<none>"); }

struct Submission : ::testing::Test {
    Fixture fx;
    test::TestIdentity& identity = fx.with_identity();  // XOAUTH2 verifies with the sign-in service
    std::shared_ptr<const ExoEnvironment> env;
    void SetUp() override { env = fx.env(); }
    std::unique_ptr<ClientSubmissionPolicy> policy(SubmissionEndpoint e = SubmissionEndpoint::standard) {
        return std::make_unique<ClientSubmissionPolicy>(env, e);
    }
    std::string tail() const { return std::string(" ") + bracket_at_reference + "\r\n"; }
};

TEST_F(Submission, StartTlsRequiredBeforeMailAndAuth) {
    auto p = policy();
    const auto s = state();
    EXPECT_EQ(rendered(p->on_connect(s)),
              "220 SY5P282CA0097.outlook.office365.com Microsoft ESMTP MAIL Service ready at Sun, 23 Nov 2025 "
              "11:12:20 +0000 [08DE2A6028D26C22]\r\n");
    EXPECT_EQ(p->ehlo_greeting(s), "SY5P282CA0097.outlook.office365.com Hello [192.0.2.1]");
    EXPECT_TRUE(p->capabilities(s).has("STARTTLS"));
    EXPECT_FALSE(p->capabilities(s).has("AUTH"));
    EXPECT_EQ(rendered(p->on_mail(s, path("printer@contoso.com"), {})),
              "451 5.7.3 STARTTLS is required to send mail" + tail());
    EXPECT_EQ(rendered(p->on_auth_start(s, "LOGIN")), "504 5.7.4 Unrecognized authentication type" + tail());
    EXPECT_EQ(rendered(p->on_starttls(s)), "220 2.0.0 SMTP server ready\r\n");
}

TEST_F(Submission, AfterTlsAuthAdvertisedAndPlainRefused) {
    auto p = policy();
    const auto s = state("192.0.2.1", TlsVersion::tls1_2);
    EXPECT_EQ(p->capabilities(s).auth_mechanisms(), (std::vector<std::string>{"LOGIN", "XOAUTH2"}));
    EXPECT_FALSE(p->capabilities(s).has("STARTTLS"));
    EXPECT_EQ(p->capabilities(s).size_limit(), 157286400u);
    EXPECT_EQ(rendered(p->on_auth_start(s, "PLAIN")), "504 5.7.4 Unrecognized authentication type" + tail());
    EXPECT_EQ(p->on_auth_start(s, "LOGIN").kind, Decision::Kind::proceed);
    EXPECT_EQ(p->on_auth_start(s, "XOAUTH2").kind, Decision::Kind::proceed);
}

TEST_F(Submission, Tls11SessionClosedWith421AtAuth) {
    auto p = policy();
    const auto s = state("192.0.2.1", TlsVersion::tls1_1);
    EXPECT_EQ(p->on_tls_established(s).kind, Decision::Kind::proceed);
    const Decision d = p->on_auth_start(s, "LOGIN");
    EXPECT_EQ(d.kind, Decision::Kind::reject);
    EXPECT_TRUE(d.close);
    EXPECT_EQ(rendered(d),
              "421 4.7.66 TLS 1.0 and 1.1 are not supported. Please upgrade/update your client to support TLS 1.2. "
              "Visit https://aka.ms/smtp_auth_tls." + tail());
    EXPECT_TRUE(p->on_mail(s, path("printer@contoso.com"), {}).close);
}

TEST_F(Submission, LegacyEndpointHonoursTenantOptIn) {
    const auto s = state("192.0.2.1", TlsVersion::tls1_0);
    auto refused = policy(SubmissionEndpoint::legacy);
    EXPECT_EQ(refused->on_tls_established(s).kind, Decision::Kind::proceed);
    EXPECT_EQ(refused->on_auth_start(s, "LOGIN").kind, Decision::Kind::proceed);
    const Decision d = refused->on_auth(s, login("printer@contoso.com", "Printer-Pass-1"));
    EXPECT_TRUE(d.close);
    EXPECT_EQ(d.reply->code, 421);

    fx.directory->tenants[0].settings.allow_legacy_tls = true;
    env = fx.env();
    auto allowed = policy(SubmissionEndpoint::legacy);
    EXPECT_EQ(rendered(allowed->on_auth(s, login("printer@contoso.com", "Printer-Pass-1"))),
              "235 2.7.0 Authentication successful\r\n");
}

struct Cause {
    const char* name;
    std::function<void(Directory&)> configure;
    const char* user;
    const char* password;
    const char* text;
};

TEST_F(Submission, Each5_7_139CauseHasItsText) {
    const std::vector<Cause> causes = {
        {"tenant", [](Directory&) {}, "device@fabrikam.com", "Device-Pass-1",
         "SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more "
         "information."},
        {"mailbox", [](Directory&) {}, "scanner@contoso.com", "Scanner-Pass-1",
         "SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more "
         "information."},
        {"credentials", [](Directory&) {}, "printer@contoso.com", "wrong", "the user credentials were incorrect."},
        {"unknown user", [](Directory&) {}, "nobody@contoso.com", "x", "the user credentials were incorrect."},
        {"basic disabled", [](Directory& d) { d.tenants[0].settings.basic_auth_allowed = false; },
         "printer@contoso.com", "Printer-Pass-1", "basic authentication is disabled."},
        {"security defaults", [](Directory& d) { d.tenants[0].settings.security_defaults = true; },
         "printer@contoso.com", "Printer-Pass-1",
         "user is locked by your organization's security defaults policy. Contact your administrator."},
        {"conditional access", [](Directory& d) { d.tenants[0].mailboxes[0].conditional_access_blocked = true; },
         "printer@contoso.com", "Printer-Pass-1",
         "the request did not meet the criteria to be authenticated successfully. Contact your administrator."},
        {"locked", [](Directory& d) { d.tenants[0].mailboxes[0].locked = true; }, "printer@contoso.com",
         "Printer-Pass-1", "account locked. Contact your administrator."},
    };
    for (const auto& c : causes) {
        Fixture f;
        f.settings.auth_tarpit = std::chrono::milliseconds(5000);
        c.configure(*f.directory);
        ClientSubmissionPolicy p(f.env());
        const auto s = state("192.0.2.1", TlsVersion::tls1_2);
        const Decision d = p.on_auth(s, login(c.user, c.password));
        EXPECT_EQ(d.kind, Decision::Kind::reject) << c.name;
        EXPECT_EQ(d.delay, std::chrono::milliseconds(5000)) << c.name;
        EXPECT_EQ(rendered(d), std::string("535 5.7.139 Authentication unsuccessful, ") + c.text + tail()) << c.name;
    }
}

TEST_F(Submission, MailboxOverrideEnablesAuthInDisabledTenant) {
    fx.directory->tenants[1].mailboxes[0].smtp_auth = SmtpAuthSetting::enabled;
    env = fx.env();
    auto p = policy();
    EXPECT_EQ(p->on_auth(state("192.0.2.1", TlsVersion::tls1_2), login("device@fabrikam.com", "Device-Pass-1")).kind,
              Decision::Kind::proceed);
}

TEST_F(Submission, LockedAfterTenFailures) {
    const auto s = state("192.0.2.1", TlsVersion::tls1_2);
    for (int i = 0; i < 10; ++i) {
        auto p = policy();
        EXPECT_EQ(p->on_auth(s, login("printer@contoso.com", "bad")).reply->lines[0].find("credentials were incorrect") !=
                      std::string::npos,
                  true)
            << i;
    }
    auto p = policy();
    EXPECT_EQ(rendered(p->on_auth(s, login("printer@contoso.com", "Printer-Pass-1"))),
              "535 5.7.139 Authentication unsuccessful, account locked. Contact your administrator." + tail());
    fx.clock->advance(std::chrono::seconds(60));
    auto later = policy();
    EXPECT_EQ(later->on_auth(s, login("printer@contoso.com", "Printer-Pass-1")).kind, Decision::Kind::proceed);
}

TEST_F(Submission, MailWithoutAuthEmbedsEarlierFailure) {
    auto p = policy();
    const auto s = state("192.0.2.1", TlsVersion::tls1_2);
    EXPECT_EQ(rendered(p->on_mail(s, path("printer@contoso.com"), {})),
              "530 5.7.57 Client not authenticated to send mail." + tail());
    p->on_auth(s, login("device@fabrikam.com", "Device-Pass-1"));
    EXPECT_EQ(rendered(p->on_mail(s, path("device@fabrikam.com"), {})),
              "530 5.7.57 Client not authenticated to send mail. Error: 535 5.7.139 Authentication unsuccessful, "
              "SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more "
              "information." + tail());
}

TEST_F(Submission, BasicAuthRetiredKeepsXoauth2Working) {
    fx.directory->tenants[0].settings.basic_auth_retired = true;
    env = fx.env();
    const auto s = state("192.0.2.1", TlsVersion::tls1_2);
    auto p = policy();
    EXPECT_EQ(rendered(p->on_auth(s, login("printer@contoso.com", "Printer-Pass-1"))),
              "550 5.7.30 Basic authentication is not supported for Client Submission." + tail());
    const auto token = identity.mint("printer@contoso.com", std::chrono::seconds(60));
    auto q = policy();
    EXPECT_EQ(rendered(q->on_auth(s, core::Credentials{"XOAUTH2", "", "printer@contoso.com", token})),
              "235 2.7.0 Authentication successful\r\n");
}

// MC786329's end-of-2026 default (basic_auth_default_off): LOGIN refused with the reply the
// tenant setting selects; the 535 wording is the default (entra-id-oauth.md §1).
TEST_F(Submission, BasicAuthDefaultOffReplyIsATenantSetting) {
    fx.directory->tenants[0].settings.basic_auth_default_off = true;
    env = fx.env();
    const auto s = state("192.0.2.1", TlsVersion::tls1_2);
    EXPECT_EQ(rendered(policy()->on_auth(s, login("printer@contoso.com", "Printer-Pass-1"))),
              "535 5.7.139 Authentication unsuccessful, basic authentication is disabled." + tail());
    fx.directory->tenants[0].settings.basic_auth_off_reply = BasicAuthOffReply::not_supported;
    env = fx.env();
    EXPECT_EQ(rendered(policy()->on_auth(s, login("printer@contoso.com", "Printer-Pass-1"))),
              "550 5.7.30 Basic authentication is not supported for Client Submission." + tail());
    // Off: LOGIN as before.
    fx.directory->tenants[0].settings.basic_auth_default_off = false;
    env = fx.env();
    EXPECT_EQ(rendered(policy()->on_auth(s, login("printer@contoso.com", "Printer-Pass-1"))),
              "235 2.7.0 Authentication successful\r\n");
}

TEST_F(Submission, Xoauth2FailuresAreGeneric5_7_3) {
    const auto s = state("192.0.2.1", TlsVersion::tls1_2);
    const auto good = identity.mint("printer@contoso.com", std::chrono::seconds(60));
    const std::string generic = "535 5.7.3 Authentication unsuccessful" + tail();
    EXPECT_EQ(rendered(policy()->on_auth(s, {"XOAUTH2", "", "app@contoso.com", good})), generic);  // wrong user
    EXPECT_EQ(rendered(policy()->on_auth(s, {"XOAUTH2", "", "printer@contoso.com", "junk"})), generic);
    // Signed by a key this service never had: another sign-in service's (its second key; its first
    // is FakeCrypto's fixed kid-1, which every test service shares).
    Fixture other;
    other.with_identity().crypto().rotate_signing_key(other.clock->now(), std::chrono::seconds(0));
    EXPECT_EQ(rendered(policy()->on_auth(
                  s, {"XOAUTH2", "", "printer@contoso.com",
                      other.identity->mint("printer@contoso.com", std::chrono::seconds(60))})),
              generic);
    // Expired: past exp plus Exchange's 5-minute skew.
    fx.clock->advance(std::chrono::seconds(60 + 300));
    EXPECT_EQ(rendered(policy()->on_auth(s, {"XOAUTH2", "", "printer@contoso.com", good})),
              "535 5.7.3 Authentication unsuccessful [SY5P282CA0097.AUSP282.PROD.OUTLOOK.COM "
              "2025-11-23T11:18:20.000Z 08DE2A6028D26C22]\r\n");
    // §10: SMTP AUTH disabled blocks OAuth with the 5.7.139 tenant text.
    const auto device = identity.mint("device@fabrikam.com", std::chrono::seconds(60));
    EXPECT_EQ(rendered(policy()->on_auth(s, {"XOAUTH2", "", "device@fabrikam.com", device})).substr(0, 45),
              "535 5.7.139 Authentication unsuccessful, Smtp");
}

// Issue 14: the wire stays generic, the reason goes into the session's events as a finding.
TEST_F(Submission, Xoauth2FailureReasonsAreNotedNotSent) {
    const auto s = state("192.0.2.1", TlsVersion::tls1_2);
    const auto good = identity.mint("printer@contoso.com", std::chrono::seconds(60));
    const Decision wrong_user = policy()->on_auth(s, {"XOAUTH2", "", "app@contoso.com", good});
    EXPECT_EQ(rendered(wrong_user), "535 5.7.3 Authentication unsuccessful" + tail());
    ASSERT_TRUE(wrong_user.note);
    EXPECT_EQ(wrong_user.note->rule, "xoauth2-token-rejected");
    EXPECT_EQ(wrong_user.note->detail, "user= app@contoso.com is not the token's upn \"printer@contoso.com\" nor a "
                                       "mailbox it has FullAccess or send-as on");
    const Decision junk = policy()->on_auth(s, {"XOAUTH2", "", "printer@contoso.com", "junk"});
    ASSERT_TRUE(junk.note);
    EXPECT_EQ(junk.note->detail, "not a JWT: not three dot-separated parts");
    const Decision nobody = policy()->on_auth(s, {"XOAUTH2", "", "nobody@contoso.com", good});
    ASSERT_TRUE(nobody.note);
    EXPECT_EQ(nobody.note->detail, "user= nobody@contoso.com is not a mailbox");
    EXPECT_FALSE(policy()->on_auth(s, {"XOAUTH2", "", "printer@contoso.com", good}).note);
    // SMTP AUTH disabled answers 5.7.139 before the token is looked at: even a junk token.
    const Decision disabled = policy()->on_auth(s, {"XOAUTH2", "", "device@fabrikam.com", "junk"});
    EXPECT_EQ(rendered(disabled).substr(0, 45), "535 5.7.139 Authentication unsuccessful, Smtp");
    EXPECT_FALSE(disabled.note);
}

// Runs AUTH + MAIL + RCPT on `p` and returns the session state at end of data.
core::SessionState transaction(ClientSubmissionPolicy& p, const std::string& user, const std::string& password,
                               const std::string& from, std::size_t recipients = 1) {
    auto s = state("192.0.2.1", TlsVersion::tls1_2);
    EXPECT_EQ(p.on_auth(s, login(user, password)).kind, Decision::Kind::proceed);
    s.auth_identity = user;
    EXPECT_EQ(p.on_mail(s, path(from), {}).kind, Decision::Kind::proceed);
    s.envelope.reverse_path = path(from);
    for (std::size_t i = 0; i < recipients; ++i) s.envelope.recipients.push_back({path("alice@contoso.com"), {}});
    return s;
}

TEST_F(Submission, SendAsDecidedAfterDataBothStyles) {
    auto p = policy();
    auto s = transaction(*p, "app@contoso.com", "App-Pass-1", "noreply@contoso.com");
    EXPECT_EQ(p->on_message(s, "From: <noreply@contoso.com>\r\n\r\nhi\r\n").kind, Decision::Kind::proceed);
    // Header From without the right, P1 allowed.
    const Decision d = p->on_message(s, "From: \"Boss\" <bob@contoso.com>\r\n\r\nhi\r\n");
    ASSERT_TRUE(d.reply);
    EXPECT_EQ(d.reply->code, 554);
    EXPECT_EQ(d.reply->lines[0].rfind("SendAsDenied; app@contoso.com not allowed to send as bob@contoso.com; ", 0), 0u);
    EXPECT_NE(d.reply->lines[0].find("[Hostname=SYBP282MB2635.AUSP282.PROD.OUTLOOK.COM]"), std::string::npos);

    fx.directory->tenants[0].settings.reply_style = SendAsReplyStyle::legacy;
    env = fx.env();
    auto q = policy();
    auto s2 = transaction(*q, "printer@contoso.com", "Printer-Pass-1", "alice@contoso.com");  // P1 not allowed
    EXPECT_EQ(rendered(q->on_message(s2, "From: printer@contoso.com\r\n\r\nhi\r\n")),
              "550 5.7.60 SMTP; Client does not have permissions to send as this sender" + tail());
}

TEST_F(Submission, FourthConcurrentSessionGets432) {
    std::vector<std::unique_ptr<ClientSubmissionPolicy>> sessions;
    std::vector<core::SessionState> states;
    for (int i = 0; i < 4; ++i) {
        sessions.push_back(policy());
        states.push_back(transaction(*sessions.back(), "printer@contoso.com", "Printer-Pass-1", "printer@contoso.com"));
    }
    const std::string msg = "From: printer@contoso.com\r\n\r\nhi\r\n";
    for (int i = 0; i < 3; ++i) EXPECT_EQ(sessions[i]->on_message(states[i], msg).kind, Decision::Kind::proceed);
    EXPECT_EQ(rendered(sessions[3]->on_message(states[3], msg)),
              "432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded" + tail());
    sessions.erase(sessions.begin());  // a session ends: its destructor frees the slot
    EXPECT_EQ(sessions[2]->on_message(states[3], msg).kind, Decision::Kind::proceed);
}

TEST_F(Submission, RecipientQuotaCrossedAndRestoredAfter24h) {
    auto p = policy();
    auto big = transaction(*p, "printer@contoso.com", "Printer-Pass-1", "printer@contoso.com", 500);
    const std::string msg = "From: printer@contoso.com\r\n\r\nhi\r\n";
    for (int i = 0; i < 20; ++i) {  // 20 x 500 = 10,000: exactly the limit
        EXPECT_EQ(p->on_message(big, msg).kind, Decision::Kind::proceed) << i;
        fx.clock->advance(std::chrono::minutes(1));
    }
    auto one = big;
    one.envelope.recipients.resize(1);
    EXPECT_EQ(rendered(p->on_message(one, msg)).substr(0, 72),
              "554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException");
    fx.clock->advance(std::chrono::hours(24));
    EXPECT_EQ(p->on_message(one, msg).kind, Decision::Kind::proceed);
}

TEST_F(Submission, ThirtyFirstMessageInAMinuteIsDelayedNotRejected) {
    auto p = policy();
    auto s = transaction(*p, "printer@contoso.com", "Printer-Pass-1", "printer@contoso.com");
    const std::string msg = "From: printer@contoso.com\r\nMessage-ID: <m1@printer>\r\n\r\nhi\r\n";
    for (int i = 0; i < 30; ++i) {
        ASSERT_EQ(p->on_message(s, msg).kind, Decision::Kind::proceed);
        EXPECT_NE(p->annotations_json(s).find("\"throttled\":false"), std::string::npos) << i;
    }
    ASSERT_EQ(p->on_message(s, msg).kind, Decision::Kind::proceed);
    EXPECT_EQ(p->annotations_json(s),
              "{\"mailbox\":\"printer@contoso.com\",\"submitted_at\":\"2025-11-23T11:12:20.000Z\",\"deliver_after\":"
              "\"2025-11-23T11:13:20.000Z\",\"throttled\":true,\"message_id\":\"<m1@printer>\"}");
    EXPECT_EQ(p->message_accepted(s, msg, "id1").render(),
              "250 2.0.0 OK <m1@printer> [Hostname=SYBP282MB2635.AUSP282.PROD.OUTLOOK.COM]\r\n");
}

TEST_F(Submission, GeneratedMessageIdIsStoredAndEchoed) {
    auto p = policy();
    auto s = transaction(*p, "printer@contoso.com", "Printer-Pass-1", "printer@contoso.com");
    const std::string msg = "From: printer@contoso.com\r\n\r\nhi\r\n";
    ASSERT_EQ(p->on_message(s, msg).kind, Decision::Kind::proceed);
    const auto stored = p->stored_content(s, msg);
    ASSERT_TRUE(stored);
    ASSERT_EQ(stored->rfind("Received: from printer.local (192.0.2.1) by\r\n SY5P282CA0097.AUSP282.PROD.OUTLOOK.COM with "
                            "Microsoft SMTP Server\r\n (version=TLS1_2, cipher=ECDHE-RSA-AES256-GCM-SHA384) via "
                            "Frontend Transport;\r\n Sun, 23 Nov 2025 11:12:20 +0000\r\nMessage-ID: <SYBP282MB2635",
                            0),
              0u)
        << *stored;
    const auto id_at = stored->find("Message-ID: ") + 12;
    const std::string id = stored->substr(id_at, stored->find("\r\n", id_at) - id_at);
    EXPECT_EQ(stored->substr(stored->size() - msg.size()), msg);
    EXPECT_NE(id.find("@sybp282mb2635.ausp282.prod.outlook.com>"), std::string::npos);
    EXPECT_EQ(p->message_accepted(s, msg, "x").render(),
              "250 2.0.0 OK " + id + " [Hostname=SYBP282MB2635.AUSP282.PROD.OUTLOOK.COM]\r\n");
}

TEST_F(Submission, RecipientsPerMessageLimitAndSize) {
    fx.directory->tenants[0].settings.recipients_per_message = 2;
    env = fx.env();
    auto p = policy();
    auto s = transaction(*p, "printer@contoso.com", "Printer-Pass-1", "printer@contoso.com", 1);
    EXPECT_EQ(p->on_rcpt(s, path("bob@contoso.com"), {}).kind, Decision::Kind::proceed);  // 2nd: n
    s.envelope.recipients.push_back({path("bob@contoso.com"), {}});
    EXPECT_EQ(rendered(p->on_rcpt(s, path("x@example.net"), {})), "452 4.5.3 Too many recipients" + tail());
    core::MailParams big;
    big.size = 157286401;
    EXPECT_EQ(rendered(p->on_mail(s, path("printer@contoso.com"), big)),
              "552 5.3.4 Message size exceeds fixed maximum message size" + tail());
    big.size = 157286400;
    EXPECT_EQ(p->on_mail(s, path("printer@contoso.com"), big).kind, Decision::Kind::proceed);
}

TEST_F(Submission, InvalidEhloDomain) {
    auto p = policy();
    EXPECT_EQ(rendered(p->on_ehlo(state(), "MacBook..", true)), "501 5.5.4 Invalid domain name" + tail());
    EXPECT_EQ(p->on_ehlo(state(), "[192.168.240.1]", true).kind, Decision::Kind::proceed);
    EXPECT_EQ(p->on_ehlo(state(), "printer.local", true).kind, Decision::Kind::proceed);
}

}  // namespace
}  // namespace exosim::policy::exo
