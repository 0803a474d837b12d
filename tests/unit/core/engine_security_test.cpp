// The B1 server-robustness catalogue (SR-*) against the engine and the RFC baseline policy.
#include <gtest/gtest.h>

#include "core/base64.hpp"
#include "core/engine_harness.hpp"

using namespace exosim;
using exosim::test::Harness;

namespace {

const std::string tx = "EHLO c.test\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n";

void in_transaction(Harness& h) { h.feed(tx); }

}  // namespace

// SR-01: commands pipelined behind STARTTLS are discarded, recorded, never executed.
TEST(Sr01, StartTlsInjectionDiscarded) {
    for (std::string injected : {"RSET\r\n", "EHLO commandinjectiontester\r\n"}) {
        Harness h;
        h.feed("EHLO t\r\n");
        EXPECT_EQ(h.feed("STARTTLS\r\n" + injected), "220 2.0.0 Ready to start TLS\r\n<TLS>");
        EXPECT_TRUE(h.has_finding("starttls-plaintext-injection"));
        EXPECT_EQ(h.commands().back(), "STARTTLS");
        EXPECT_EQ(h.feed("FAKE x\r\n"), "500 5.5.1 Command unrecognized\r\n");
    }
}

TEST(Sr01, BytesFedWhileHandshakingAreDiscarded) {
    Harness h;
    h.options().tls.reset();
    h.feed("EHLO t\r\nSTARTTLS\r\n");
    EXPECT_TRUE(h.engine().waiting());
    h.feed("MAIL FROM:<a@b>\r\n");
    EXPECT_TRUE(h.has_finding("starttls-plaintext-injection"));
    h.engine().tls_established(core::TlsInfo{core::TlsVersion::tls1_2, "x", {}, false});
    EXPECT_EQ(h.drain(), "");  // the mock says nothing until the client speaks inside TLS
}

// SR-02: a failed handshake closes without any plaintext reply.
TEST(Sr02, TlsFailureClosesSilently) {
    Harness h;
    h.options().tls.reset();
    h.feed("EHLO t\r\nSTARTTLS\r\n");
    h.engine().tls_failed();
    EXPECT_EQ(h.drain(), "<CLOSE>");
    EXPECT_TRUE(h.engine().closed());
}

// SR-03: state reset after TLS; no STARTTLS in the post-TLS EHLO; second STARTTLS refused.
TEST(Sr03, StateResetAfterTls) {
    Harness h;
    h.feed("EHLO evil.example\r\nSTARTTLS\r\n");
    EXPECT_FALSE(h.engine().state().helo.has_value());
    EXPECT_EQ(h.feed("MAIL FROM:<a@b>\r\n"), "503 5.5.1 Send EHLO/HELO first\r\n");
    const std::string ehlo = h.feed("EHLO good.example\r\n");
    EXPECT_EQ(ehlo.find("STARTTLS"), std::string::npos);
    EXPECT_NE(ehlo.find("250-AUTH PLAIN LOGIN XOAUTH2\r\n"), std::string::npos);
    EXPECT_EQ(h.engine().state().helo, "good.example");
    EXPECT_EQ(h.feed("STARTTLS\r\n"), "503 5.5.1 TLS already active\r\n");
}

// SR-04
TEST(Sr04, StartTlsWithArgument) {
    Harness h;
    h.feed("EHLO t\r\n");
    EXPECT_EQ(h.feed("STARTTLS now\r\n"), "501 5.5.4 Syntax error in parameters or arguments\r\n");
    EXPECT_FALSE(h.engine().state().tls_active());
    EXPECT_EQ(h.engine().phase(), core::Phase::ready);
}

// SR-05: AUTH before TLS is 530, AUTH is not advertised, the secret is not logged.
TEST(Sr05, AuthBeforeTls) {
    Harness h;
    const std::string ehlo = h.feed("EHLO t\r\n");
    EXPECT_EQ(ehlo.find("AUTH"), std::string::npos);
    EXPECT_EQ(h.feed("AUTH PLAIN AHVzZXIAcGFzcw==\r\n"), "530 5.7.0 Must issue a STARTTLS command first\r\n");
    EXPECT_EQ(h.commands().back(), "AUTH PLAIN <redacted>");
    EXPECT_FALSE(h.engine().state().auth_identity.has_value());
}

// SR-06: pregreet, tolerated with a finding, or 554 and close in the strict profile.
TEST(Sr06, Pregreet) {
    Harness lax(test::rfc_config(), false);
    lax.engine().feed("EHLO x\r\n");
    lax.engine().start();
    const std::string out = lax.drain();
    EXPECT_EQ(out.substr(0, 32), "220 mx.test ESMTP exosim ready\r\n");
    EXPECT_EQ(out.substr(out.size() - 14), "250 SMTPUTF8\r\n");  // then the buffered EHLO is answered
    EXPECT_TRUE(lax.has_finding("pregreet"));
    auto strict_cfg = test::rfc_config();
    strict_cfg.engine.reject_pregreet = true;
    Harness strict(strict_cfg);
    strict.engine().feed_pregreet("EHLO x\r\n");
    EXPECT_EQ(strict.drain(), "554 5.5.0 Protocol synchronization error (input before greeting)\r\n<CLOSE>");
}

namespace {

struct SmugglingCase {
    std::string name;
    std::string eod;
};

class Sr08 : public ::testing::TestWithParam<SmugglingCase> {};

// SR-07/SR-08: never two messages. Reject mode refuses the message; normalize keeps one message
// holding the smuggled text.
TEST_P(Sr08, NeverTwoMessages) {
    const std::string body = "Subject: a\r\n\r\nbody" + GetParam().eod +
                             "MAIL FROM:<x@y>\r\nRCPT TO:<z@w>\r\nDATA\r\nSubject: smuggled\r\n\r\nx\r\n.\r\n";
    for (bool bytewise : {false, true}) {
        Harness reject;
        in_transaction(reject);
        const std::string out = reject.feed(body, bytewise);
        EXPECT_TRUE(reject.stored.size() <= 1) << GetParam().name;
        auto cfg = test::rfc_config();
        cfg.engine.bare_line_endings = core::BareLineEnding::normalize;
        Harness norm(cfg);
        in_transaction(norm);
        norm.feed(body, bytewise);
        ASSERT_EQ(norm.stored.size(), 1u) << GetParam().name;
        EXPECT_NE(norm.stored[0].content.find("Subject: smuggled"), std::string::npos);
        const bool bare = GetParam().eod.find_first_of("\r\n") != std::string::npos &&
                          GetParam().eod.find("\r\n.\r\n") == std::string::npos;
        if (bare && GetParam().eod != "\r\n. \r\n" && GetParam().eod != std::string("\r\n\0.\r\n", 6) &&
            GetParam().eod != std::string("\r\n.\0\r\n", 6)) {
            EXPECT_TRUE(reject.stored.empty()) << GetParam().name;
            EXPECT_EQ(out, "554 5.6.0 Message rejected: bare CR or LF in content\r\n") << GetParam().name;
        } else {
            EXPECT_EQ(reject.stored.size(), 1u) << GetParam().name;
        }
    }
}

INSTANTIATE_TEST_SUITE_P(
    Probes, Sr08,
    ::testing::Values(SmugglingCase{"lf_dot_lf", "\n.\n"}, SmugglingCase{"lf_dot_cr", "\n.\r"},
                      SmugglingCase{"cr_dot_lf", "\r.\n"}, SmugglingCase{"cr_dot_cr", "\r.\r"},
                      SmugglingCase{"lf_dot_crlf", "\n.\r\n"}, SmugglingCase{"cr_dot_crlf", "\r.\r\n"},
                      SmugglingCase{"nul_dot", std::string("\r\n\0.\r\n", 6)},
                      SmugglingCase{"dot_nul", std::string("\r\n.\0\r\n", 6)},
                      SmugglingCase{"dot_cr_crlf", "\r\n.\r\r\n"}, SmugglingCase{"cr_crlf_dot", "\r\r\n.\r\r\n"},
                      SmugglingCase{"dot_space", "\r\n. \r\n"}),
    [](const auto& info) { return info.param.name; });

}  // namespace

// SR-07 exact bytes in reject mode: one refusal, then nothing executed from the smuggled part.
TEST(Sr07, BareLfDotExactReply) {
    Harness h;
    in_transaction(h);
    EXPECT_EQ(h.feed("Subject: a\r\n\r\nbody\n.\r\nMAIL FROM:<x@y>\r\nRCPT TO:<z@w>\r\nDATA\r\nSubject: smuggled\r\n\r\nx\r\n.\r\n"),
              "554 5.6.0 Message rejected: bare CR or LF in content\r\n");
    EXPECT_TRUE(h.stored.empty());
    EXPECT_TRUE(h.has_finding("bare-lf"));
}

// SR-09: bare endings in commands, strict: each bad line gets 500 5.5.2, never merged.
TEST(Sr09, BareEndingsInCommandsRejected) {
    Harness h;
    EXPECT_EQ(h.feed("EHLO x\nMAIL FROM:<a@b>\n"),
              "500 5.5.2 Bare CR or LF received; use CRLF\r\n500 5.5.2 Bare CR or LF received; use CRLF\r\n");
    EXPECT_EQ(h.feed("RCPT TO:<c@d>\rDATA\r\n"), "500 5.5.2 Bare CR or LF received; use CRLF\r\n");
    EXPECT_FALSE(h.engine().state().helo.has_value());
}

// SR-10: no PIPELINING advertised: pipelined commands give a 5xx and close.
namespace {
class NoPipelining : public policy::RfcPolicy {
public:
    using RfcPolicy::RfcPolicy;
    core::Capabilities capabilities(const core::SessionState& s) const override {
        core::Capabilities c = RfcPolicy::capabilities(s);
        std::erase(c.lines, std::string("PIPELINING"));
        return c;
    }
};
}  // namespace

TEST(Sr10, UnauthorizedPipelining) {
    NoPipelining pol(test::rfc_config());
    core::Engine e(pol, {});
    e.start();
    e.feed("EHLO c\r\n");
    e.take_actions();
    e.feed("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n");
    auto a = e.take_actions();
    ASSERT_EQ(a.size(), 2u);
    EXPECT_EQ(std::get<core::SendReply>(a[0]).reply.render(),
              "554 5.5.0 Protocol synchronization error (improper command pipelining)\r\n");
    EXPECT_TRUE(std::holds_alternative<core::Close>(a[1]));
}

TEST(Sr10, TwoMessagesInOneWriteWithoutPipelining) {
    NoPipelining pol(test::rfc_config());
    core::Engine e(pol, {});
    e.start();
    for (const char* line : {"EHLO c\r\n", "MAIL FROM:<a@b>\r\n", "RCPT TO:<c@d>\r\n", "DATA\r\n"}) e.feed(line);
    e.take_actions();
    e.feed("x\r\n.\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\ny\r\n.\r\n");
    auto a = e.take_actions();
    for (const auto& act : a) EXPECT_FALSE(std::holds_alternative<core::StoreMessage>(act));
    ASSERT_FALSE(a.empty());
    EXPECT_EQ(std::get<core::SendReply>(a[0]).reply.code, 554);
}

// SR-11: legal pipelining, five replies in order, identical byte by byte.
TEST(Sr11, LegalPipelining) {
    const std::string in = "MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nRCPT TO:<e@f>\r\nRCPT TO:<g@h>\r\nDATA\r\n";
    const std::string want = "250 2.1.0 Sender OK\r\n250 2.1.5 Recipient OK\r\n250 2.1.5 Recipient OK\r\n"
                             "250 2.1.5 Recipient OK\r\n354 Start mail input; end with <CRLF>.<CRLF>\r\n";
    for (bool bytewise : {false, true}) {
        Harness h;
        h.feed("EHLO c\r\n");
        EXPECT_EQ(h.feed(in, bytewise), want);
    }
}

// SR-12: DATA after every RCPT failed: 554, the body lines are commands.
TEST(Sr12, DataWithoutRecipients) {
    Harness h;
    h.feed("EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<>\r\n");
    EXPECT_EQ(h.feed("DATA\r\nSubject: x\r\n\r\nMAIL FROM:<evil@x>\r\n.\r\n"),
              "554 5.5.1 No valid recipients\r\n500 5.5.1 Command unrecognized\r\n500 5.5.1 Command unrecognized\r\n"
              "503 5.5.1 Bad sequence of commands\r\n500 5.5.1 Command unrecognized\r\n");
    EXPECT_TRUE(h.stored.empty());
}

// SR-13 / SR-14: long lines, bounded memory, the session stays usable; an endless line closes.
TEST(Sr13, CommandLineTooLong) {
    Harness h;
    h.feed("EHLO c\r\n");
    EXPECT_EQ(h.feed("MAIL FROM:<" + std::string(600, 'a') + "@x>\r\n"), "500 5.5.2 Line too long\r\n");
    EXPECT_EQ(h.feed("NOOP " + std::string(60000, 'n') + "\r\nNOOP\r\n"), "500 5.5.2 Line too long\r\n250 2.0.0 OK\r\n");
    // Past the hard cap (limits::max_pipelined_input octets of one line) the session closes.
    EXPECT_EQ(h.feed("NOOP " + std::string(1 << 20, 'n') + "\r\nNOOP\r\n"),
              "500 5.5.2 Line too long\r\n421 4.7.0 Too much pipelined input, closing connection\r\n<CLOSE>");
}

TEST(Sr13, Limit511_512_513) {
    for (std::size_t total : {511u, 512u, 513u}) {
        Harness h;
        const std::string out = h.feed("NOOP " + std::string(total - 7, 'n') + "\r\n");
        EXPECT_EQ(out, total <= 512 ? "250 2.0.0 OK\r\n" : "500 5.5.2 Line too long\r\n") << total;
    }
}

TEST(Sr14, UnterminatedStreamCloses) {
    Harness h;
    const std::string block(4096, 'A');
    std::string out;
    for (int i = 0; i < 64 && !h.engine().closed(); ++i) out += h.feed(block);
    EXPECT_EQ(out, "500 5.5.2 Line too long\r\n421 4.7.0 Too much pipelined input, closing connection\r\n<CLOSE>");
}

// SR-17: recipient flood: the first 100 accepted, beyond the limit 452 4.5.3, memory O(limit).
TEST(Sr17, RecipientLimit) {
    auto cfg = test::rfc_config();
    cfg.engine.max_recipients = 100;
    Harness h(cfg);
    h.feed("EHLO c\r\nMAIL FROM:<a@b>\r\n");
    std::string rcpts;
    for (int i = 0; i < 100; ++i) rcpts += "RCPT TO:<r" + std::to_string(i) + "@x>\r\n";
    const std::string out = h.feed(rcpts);
    EXPECT_EQ(out.find("452"), std::string::npos);
    EXPECT_EQ(h.feed("RCPT TO:<over@x>\r\n"), "452 4.5.3 Too many recipients\r\n");
    for (int i = 0; i < 1000; ++i) h.feed("RCPT TO:<more@x>\r\n");
    EXPECT_EQ(h.engine().state().envelope.recipients.size(), 100u);
    EXPECT_FALSE(h.engine().closed());
}

// SR-18: transaction churn leaves no state behind.
TEST(Sr18, TransactionChurn) {
    Harness h;
    h.feed("EHLO c\r\n");
    std::string in;
    for (int i = 0; i < 10000; ++i) in += "MAIL FROM:<a@b>\r\nRSET\r\n";
    h.feed(in);
    EXPECT_FALSE(h.engine().closed());
    EXPECT_EQ(h.engine().phase(), core::Phase::ready);
    EXPECT_EQ(h.feed("MAIL FROM:<a@b>\r\n"), "250 2.1.0 Sender OK\r\n");
}

// SR-19: junk commands end in 421; HTTP verbs close at once.
TEST(Sr19, JunkCommands) {
    Harness h;
    std::string in;
    for (int i = 0; i < 200; ++i) in += "XYZZY\r\n";
    const std::string out = h.feed(in);
    EXPECT_TRUE(h.engine().closed());
    const std::string tail = "500 5.5.1 Command unrecognized\r\n421 4.7.0 Too many errors, closing connection\r\n<CLOSE>";
    EXPECT_EQ(out.substr(out.size() - tail.size()), tail);
    EXPECT_EQ(h.commands().size(), 20u);  // settings.max_errors
}

TEST(Sr19, HttpCommands) {
    for (std::string req : {"GET / HTTP/1.1\r\nHost: x\r\n\r\n", "CONNECT a:25 HTTP/1.0\r\n", "POST / HTTP/1.1\r\n"}) {
        Harness h;
        EXPECT_EQ(h.feed(req), "421 4.7.0 This is an SMTP server, closing connection\r\n<CLOSE>") << req;
    }
}

// SR-26: command order violations, state unchanged.
TEST(Sr26, CommandOrder) {
    Harness h;
    h.feed("EHLO c\r\n");
    EXPECT_EQ(h.feed("DATA\r\n"), "503 5.5.1 Bad sequence of commands\r\n");
    EXPECT_EQ(h.feed("RCPT TO:<a@b>\r\n"), "503 5.5.1 Bad sequence of commands\r\n");
    h.feed("MAIL FROM:<a@b>\r\n");
    EXPECT_EQ(h.feed("MAIL FROM:<a@b>\r\n"), "503 5.5.1 Bad sequence of commands\r\n");
    EXPECT_EQ(h.engine().phase(), core::Phase::mail);
    h.feed("RCPT TO:<c@d>\r\nDATA\r\n");
    h.feed("BDAT 5\r\n.\r\n");  // inside DATA this is message text
    ASSERT_EQ(h.stored.size(), 1u);
    EXPECT_EQ(h.stored[0].content, "BDAT 5\r\n");
}

// SR-27: dot-stuffing round trip through the engine.
TEST(Sr27, DotStuffing) {
    Harness h;
    in_transaction(h);
    h.feed("..hidden\r\n..\r\n...\r\n.\r\n");
    ASSERT_EQ(h.stored.size(), 1u);
    EXPECT_EQ(h.stored[0].content, ".hidden\r\n.\r\n..\r\n");
}

// SR-28: BDAT edge cases.
TEST(Sr28, BdatEdgeCases) {
    Harness h;
    h.feed("EHLO c\r\n");
    EXPECT_EQ(h.feed("BDAT 0 LAST\r\n"), "503 5.5.1 Bad sequence of commands\r\n");
    EXPECT_EQ(h.feed("BDAT 18446744073709551616\r\n"), "501 5.5.4 Syntax error in parameters or arguments\r\n");
    EXPECT_EQ(h.feed("BDAT -1\r\n"), "501 5.5.4 Syntax error in parameters or arguments\r\n");
    h.feed("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n");
    EXPECT_EQ(h.feed("BDAT 5 LAST\r\nab\r\n.\r\n"), "250 2.0.0 OK queued as id1\r\n500 5.5.1 Command unrecognized\r\n");
    EXPECT_EQ(h.stored.at(0).content, "ab\r\n.");
    h.feed("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n");
    EXPECT_EQ(h.feed("BDAT 10\r\nabcde"), "");
    h.engine().eof();
    EXPECT_EQ(h.stored.size(), 1u);
}

TEST(Sr28, BdatWithoutChunkingAndMixing) {
    Harness h;
    h.feed("EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nBDAT 1\r\nx");
    EXPECT_EQ(h.feed("DATA\r\n"), "503 5.5.1 Bad sequence of commands\r\n");
    class NoChunking : public policy::RfcPolicy {
    public:
        using RfcPolicy::RfcPolicy;
        core::Capabilities capabilities(const core::SessionState& s) const override {
            core::Capabilities c = RfcPolicy::capabilities(s);
            std::erase(c.lines, std::string("CHUNKING"));
            return c;
        }
    };
    NoChunking pol(test::rfc_config());
    core::Engine e(pol, {});
    e.start();
    e.feed("EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n");
    e.take_actions();
    e.feed("BDAT 3 LAST\r\n");
    auto a = e.take_actions();
    ASSERT_EQ(a.size(), 1u);
    EXPECT_EQ(std::get<core::SendReply>(a[0]).reply.render(), "503 5.5.1 CHUNKING not offered\r\n");
}

// SR-31: UTF-8 paths.
TEST(Sr31, Utf8Paths) {
    Harness h;
    h.feed("EHLO c\r\n");
    EXPECT_EQ(h.feed("MAIL FROM:<j\xc3\xb6rg@ex\xc3\xa4mple.com>\r\n"),
              "553 5.6.7 SMTPUTF8 is required for non-ASCII addresses\r\n");
    EXPECT_EQ(h.feed("MAIL FROM:<j\xc3\xb6rg@ex\xc3\xa4mple.com> SMTPUTF8\r\n"), "250 2.1.0 Sender OK\r\n");
    EXPECT_EQ(h.feed("RCPT TO:<\xc3\xa9@x.y>\r\n"), "250 2.1.5 Recipient OK\r\n");
    Harness plain;
    plain.feed("EHLO c\r\nMAIL FROM:<a@b>\r\n");
    EXPECT_EQ(plain.feed("RCPT TO:<\xc3\xa9@x.y>\r\n"), "553 5.6.7 SMTPUTF8 is required for non-ASCII addresses\r\n");
    plain.feed("RCPT TO:<c@d>\r\nDATA\r\nSubject: \xff\xfe\xc3\x28\r\n\r\n.\r\n");
    ASSERT_EQ(plain.stored.size(), 1u);
    EXPECT_EQ(plain.stored[0].content, "Subject: \xff\xfe\xc3\x28\r\n\r\n");
}

// SR-33: AUTH abuse.
TEST(Sr33, AuthAbuse) {
    Harness h;
    h.feed("EHLO c\r\nSTARTTLS\r\n");
    h.feed("EHLO c\r\n");
    EXPECT_EQ(h.feed("AUTH PLAIN " + std::string(20 * 1024, 'A') + "\r\n"), "500 5.5.2 Line too long\r\n");
    EXPECT_EQ(h.feed("AUTH PLAIN !!!\r\n"), "501 5.5.2 Cannot decode response\r\n");
    EXPECT_EQ(h.feed("AUTH LOGIN\r\n*\r\n"), "334 VXNlcm5hbWU6\r\n501 5.7.0 Authentication cancelled\r\n");
    EXPECT_EQ(h.feed("AUTH PLAIN =\r\n"), "535 5.7.8 Authentication credentials invalid\r\n");
    EXPECT_EQ(h.feed("MAIL FROM:<a@b>\r\nAUTH PLAIN =\r\nRSET\r\n"),
              "250 2.1.0 Sender OK\r\n503 5.5.1 AUTH not permitted during a mail transaction\r\n250 2.0.0 OK\r\n");
    EXPECT_EQ(h.feed("AUTH PLAIN " + core::base64_encode(std::string("authz\0user\0pass", 15)) + "\r\n"),
              "235 2.7.0 Authentication successful\r\n");
    EXPECT_EQ(h.feed("AUTH PLAIN =\r\n"), "503 5.5.1 Already authenticated\r\n");
    EXPECT_EQ(h.engine().state().auth_failures, 1u);
}

// SR-36: a TLS ClientHello on the plaintext port.
TEST(Sr36, TlsOnPlaintext) {
    Harness h;
    EXPECT_EQ(h.feed(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11)), "<CLOSE>");
    EXPECT_TRUE(h.has_finding("tls-on-plaintext"));
}
