// Engine sessions with exact wire bytes, over the RFC baseline policy.
#include <gtest/gtest.h>

#include "core/base64.hpp"
#include "core/sasl.hpp"
#include "core/engine_harness.hpp"

using namespace exosim;
using exosim::test::Harness;

namespace {

const std::string greeting = "220 mx.test ESMTP exosim ready\r\n";
const std::string ehlo_plain =
    "250-mx.test Hello c.test\r\n250-SIZE 1000\r\n250-PIPELINING\r\n250-DSN\r\n250-ENHANCEDSTATUSCODES\r\n"
    "250-STARTTLS\r\n250-8BITMIME\r\n250-CHUNKING\r\n250 SMTPUTF8\r\n";
const std::string ehlo_tls =
    "250-mx.test Hello c.test\r\n250-SIZE 1000\r\n250-PIPELINING\r\n250-DSN\r\n250-ENHANCEDSTATUSCODES\r\n"
    "250-AUTH PLAIN LOGIN XOAUTH2\r\n250-8BITMIME\r\n250-CHUNKING\r\n250 SMTPUTF8\r\n";

// SR-35: a full session (EHLO, STARTTLS, AUTH, MAIL, 3 RCPT, DATA with 50 lines, QUIT).
std::string full_session_input() {
    std::string body;
    for (int i = 0; i < 50; ++i) body += "line " + std::to_string(i) + "\r\n";
    return "EHLO c.test\r\nSTARTTLS\r\n";
}

const std::string after_tls_input = [] {
    std::string body = "Subject: t\r\n\r\n";
    for (int i = 0; i < 20; ++i) body += (i % 5 == 0 ? ".." : "") + std::string("l") + std::to_string(i) + "\r\n";
    return "EHLO c.test\r\nAUTH PLAIN " + core::base64_encode(std::string("\0user\0pass", 10)) +
           "\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nRCPT TO:<g@h.i>\r\nRCPT TO:<j@k.l>\r\nDATA\r\n" + body +
           ".\r\nQUIT\r\n";
}();

const std::string after_tls_output = ehlo_tls + "235 2.7.0 Authentication successful\r\n250 2.1.0 Sender OK\r\n" +
                                     "250 2.1.5 Recipient OK\r\n250 2.1.5 Recipient OK\r\n250 2.1.5 Recipient OK\r\n" +
                                     "354 Start mail input; end with <CRLF>.<CRLF>\r\n250 2.0.0 OK queued as id1\r\n" +
                                     "221 2.0.0 mx.test Service closing transmission channel\r\n<CLOSE>";

}  // namespace

TEST(Engine, Greeting) {
    Harness h;
    EXPECT_EQ(h.wire, greeting);
    EXPECT_EQ(h.engine().phase(), core::Phase::ready);
}

TEST(Engine, FullSessionExactBytes) {
    Harness h;
    EXPECT_EQ(h.feed(full_session_input()), ehlo_plain + "220 2.0.0 Ready to start TLS\r\n<TLS>");
    EXPECT_EQ(h.feed(after_tls_input), after_tls_output);
    ASSERT_EQ(h.stored.size(), 1u);
    EXPECT_EQ(h.stored[0].envelope.recipients.size(), 3u);
    EXPECT_EQ(h.stored[0].envelope.reverse_path.str(), "a@b.c");
    EXPECT_EQ(h.stored[0].content.substr(0, 20), "Subject: t\r\n\r\n.l0\r\nl");
    EXPECT_EQ(h.engine().state().auth_identity, "user");
}

// SR-35: the same session one byte per feed gives identical replies and message.
TEST(Engine, FullSessionByteAtATime) {
    Harness whole;
    whole.feed(full_session_input());
    whole.feed(after_tls_input);
    Harness split;
    split.feed(full_session_input(), true);
    split.feed(after_tls_input, true);
    EXPECT_EQ(split.wire, whole.wire);
    ASSERT_EQ(split.stored.size(), 1u);
    EXPECT_EQ(split.stored[0].content, whole.stored[0].content);
}

TEST(Engine, HeloHasNoCapabilities) {
    Harness h;
    EXPECT_EQ(h.feed("HELO c.test\r\n"), "250 mx.test Hello c.test\r\n");
}

TEST(Engine, NoopHelpVrfyRset) {
    Harness h;
    EXPECT_EQ(h.feed("NOOP\r\nHELP\r\nVRFY bob\r\nRSET\r\n"),
              "250 2.0.0 OK\r\n214 2.0.0 See https://www.rfc-editor.org/rfc/rfc5321\r\n"
              "252 2.5.0 Cannot VRFY user, but will accept message and attempt delivery\r\n250 2.0.0 OK\r\n");
}

TEST(Engine, MailBeforeEhloNeedsHello) {
    Harness h;
    EXPECT_EQ(h.feed("MAIL FROM:<a@b>\r\n"), "503 5.5.1 Send EHLO/HELO first\r\n");
}

TEST(Engine, SizeParameterOverLimit) {
    Harness h;
    h.feed("EHLO c.test\r\n");
    EXPECT_EQ(h.feed("MAIL FROM:<a@b> SIZE=1001\r\n"), "552 5.3.4 Message size exceeds fixed maximum message size\r\n");
    EXPECT_EQ(h.feed("MAIL FROM:<a@b> SIZE=1000\r\n"), "250 2.1.0 Sender OK\r\n");
}

TEST(Engine, ActualSizeOverLimitAtEndOfData) {
    Harness h;
    h.feed("EHLO c.test\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n");
    std::string out;
    for (int i = 0; i < 20; ++i) out += h.feed(std::string(98, 'x') + "\r\n");
    EXPECT_EQ(out, "");
    EXPECT_EQ(h.feed(".\r\nNOOP\r\n"), "552 5.3.4 Message size exceeds fixed maximum message size\r\n250 2.0.0 OK\r\n");
    EXPECT_TRUE(h.stored.empty());
}

TEST(Engine, UnknownParameter) {
    Harness h;
    h.feed("EHLO c.test\r\n");
    EXPECT_EQ(h.feed("MAIL FROM:<a@b> XFOO=1\r\n"),
              "555 5.5.4 MAIL FROM/RCPT TO parameters not recognized or not implemented\r\n");
}

TEST(Engine, DsnParametersRecorded) {
    Harness h;
    h.feed("EHLO c.test\r\nMAIL FROM:<a@b> RET=HDRS ENVID=x1\r\nRCPT TO:<c@d> NOTIFY=NEVER ORCPT=rfc822;c@d\r\n");
    h.feed("DATA\r\nx\r\n.\r\n");
    ASSERT_EQ(h.stored.size(), 1u);
    EXPECT_EQ(h.stored[0].envelope.params.ret, "HDRS");
    EXPECT_EQ(h.stored[0].envelope.params.envid, "x1");
    EXPECT_EQ(h.stored[0].envelope.recipients[0].params.notify, "NEVER");
    EXPECT_EQ(h.stored[0].envelope.recipients[0].params.orcpt, "rfc822;c@d");
}

TEST(Engine, StoreFailureGives451) {
    Harness h;
    h.options().store_ok = false;
    h.feed("EHLO c.test\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n");
    EXPECT_EQ(h.feed("x\r\n.\r\n"), "451 4.3.0 Requested action aborted: local error in processing\r\n");
}

TEST(Engine, StoreWaitsAndBuffersInput) {
    policy::RfcPolicy pol(test::rfc_config());
    core::Engine e(pol, {});
    e.start();
    e.take_actions();
    e.feed("EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\nx\r\n.\r\nNOOP\r\n");
    auto actions = e.take_actions();
    ASSERT_TRUE(std::holds_alternative<core::StoreMessage>(actions.back()));
    EXPECT_TRUE(e.waiting());
    e.feed("NOOP\r\n");
    EXPECT_TRUE(e.take_actions().empty());
    e.message_stored(true, "Q1");
    actions = e.take_actions();
    ASSERT_EQ(actions.size(), 3u);
    EXPECT_EQ(std::get<core::SendReply>(actions[0]).reply.render(), "250 2.0.0 OK queued as Q1\r\n");
    EXPECT_EQ(std::get<core::SendReply>(actions[2]).reply.render(), "250 2.0.0 OK\r\n");
}

TEST(Engine, PhaseChangesAreEvents) {
    Harness h;
    h.feed("EHLO c.test\r\nMAIL FROM:<a@b>\r\nRSET\r\n");
    std::vector<std::pair<core::Phase, core::Phase>> seen;
    for (const auto& ev : h.events) {
        if (auto* p = std::get_if<core::PhaseChanged>(&ev)) seen.emplace_back(p->from, p->to);
    }
    const std::vector<std::pair<core::Phase, core::Phase>> want{{core::Phase::greeting, core::Phase::ready},
                                                               {core::Phase::ready, core::Phase::mail},
                                                               {core::Phase::mail, core::Phase::ready}};
    EXPECT_EQ(seen, want);
}

TEST(Engine, AuthLoginExchangeAndRedaction) {
    Harness h;
    h.feed("EHLO c.test\r\nSTARTTLS\r\n");
    h.feed("EHLO c.test\r\n");
    EXPECT_EQ(h.feed("AUTH LOGIN\r\n"), "334 VXNlcm5hbWU6\r\n");
    EXPECT_EQ(h.feed(core::base64_encode("user") + "\r\n"), "334 UGFzc3dvcmQ6\r\n");
    EXPECT_EQ(h.feed(core::base64_encode("pass") + "\r\n"), "235 2.7.0 Authentication successful\r\n");
    for (const auto& line : h.commands()) EXPECT_EQ(line.find(core::base64_encode("pass")), std::string::npos) << line;
    EXPECT_EQ(h.commands().back(), "<redacted>");
}

TEST(Engine, AuthPlainEmptyChallengeAndXoauth2) {
    Harness h;
    h.feed("EHLO c.test\r\nSTARTTLS\r\n");
    h.feed("EHLO c.test\r\n");
    EXPECT_EQ(h.feed("AUTH PLAIN\r\n"), "334 \r\n");
    EXPECT_EQ(h.feed(core::base64_encode(std::string("\0user\0bad", 9)) + "\r\n"),
              "535 5.7.8 Authentication credentials invalid\r\n");
    EXPECT_EQ(h.feed("AUTH XOAUTH2 " + core::base64_encode(core::format_xoauth2("user", "pass")) + "\r\n"),
              "235 2.7.0 Authentication successful\r\n");
    EXPECT_EQ(h.commands().back(), "AUTH XOAUTH2 <redacted>");
}

TEST(Engine, AuthUnknownMechanism) {
    Harness h;
    h.feed("EHLO c.test\r\nSTARTTLS\r\n");
    h.feed("EHLO c.test\r\n");
    EXPECT_EQ(h.feed("AUTH CRAM-MD5\r\n"), "504 5.5.4 Unrecognized authentication type\r\n");
}

TEST(Engine, BdatChunks) {
    Harness h;
    h.feed("EHLO c.test\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n");
    EXPECT_EQ(h.feed("BDAT 5\r\nab\r\n"), "");
    EXPECT_EQ(h.feed("."), "250 2.0.0 5 octets received\r\n");
    EXPECT_EQ(h.feed("BDAT 3 LAST\r\n.\r\n"), "250 2.0.0 OK queued as id1\r\n");
    ASSERT_EQ(h.stored.size(), 1u);
    EXPECT_EQ(h.stored[0].content, "ab\r\n..\r\n");  // SR-28: no unstuffing inside BDAT
    EXPECT_TRUE(h.stored[0].envelope.via_bdat);
}

TEST(Engine, ShutdownAndTimeout) {
    Harness h;
    h.engine().shutdown();
    EXPECT_EQ(h.drain(), "421 4.3.2 Service shutting down, closing connection\r\n<CLOSE>");
    Harness t;
    t.engine().timeout();
    EXPECT_EQ(t.drain(), "421 4.4.2 Timeout, closing connection\r\n<CLOSE>");
    EXPECT_TRUE(t.engine().closed());
}

TEST(Engine, NormalizeModeTreatsBareLfAsCrlf) {
    auto cfg = test::rfc_config();
    cfg.engine.bare_line_endings = core::BareLineEnding::normalize;
    Harness h(cfg);
    EXPECT_EQ(h.feed("EHLO c.test\nMAIL FROM:<a@b>\rRCPT TO:<c@d>\r\n"),
              ehlo_plain + "250 2.1.0 Sender OK\r\n250 2.1.5 Recipient OK\r\n");
    EXPECT_TRUE(h.has_finding("bare-lf"));
    EXPECT_TRUE(h.has_finding("bare-cr"));
}
