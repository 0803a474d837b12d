// Envelope, pipelining and reply-handling rules.
#include "verdict_trace_builder.hpp"

namespace exosim::scenario {
namespace {

using test::quoted;
using test::rule;
using test::scenario;
using test::TraceBuilder;

TEST(VerdictEnvelope, NoPregreet) {
    const Trace bad = TraceBuilder().C("EHLO c\r\n").S("220 mock\r\n").S("250 mock\r\n").quit();
    const Findings f = judge(scenario("none"), bad);
    EXPECT_RULE(f, "no-pregreet", fail);
    EXPECT_TRUE(quoted(rule(f, "no-pregreet"), "C 0.010s [plain] EHLO c"));
    EXPECT_RULE(judge(scenario(), TraceBuilder().good()), "no-pregreet", pass);
}

TEST(VerdictEnvelope, PipeliningOnlyWhenOffered) {
    // CC-18 (a): no PIPELINING, MAIL/RCPT/DATA in one write.
    const Trace bad = TraceBuilder().S("220 mock\r\n").C("EHLO c\r\n").S("250-mock\r\n250 8BITMIME\r\n")
                          .C("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n").S("250 ok\r\n250 ok\r\n354 go\r\n").C("x\r\n.\r\n")
                          .S("250 ok\r\n").quit();
    const Findings f = judge(scenario("none"), bad);
    EXPECT_RULE(f, "pipelining-only-when-offered", fail);
    EXPECT_EQ(rule(f, "pipelining-only-when-offered").message, "RCPT pipelined without PIPELINING");
    EXPECT_TRUE(quoted(rule(f, "pipelining-only-when-offered"), "RCPT TO:<c@d>"));
    const Trace ok = TraceBuilder().S("220 mock\r\n").C("EHLO c\r\n").S("250-mock\r\n250 PIPELINING\r\n")
                         .C("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n").S("250 ok\r\n250 ok\r\n354 go\r\n").C("x\r\n.\r\n")
                         .S("250 ok\r\n").quit();
    EXPECT_RULE(judge(scenario("none"), ok), "pipelining-only-when-offered", pass);
}

TEST(VerdictEnvelope, NothingAfterEhloBeforeItsReplyEvenWithPipelining) {
    const Trace bad = TraceBuilder().S("220 mock\r\n").C("EHLO c\r\nMAIL FROM:<a@b>\r\n").S("250-mock\r\n250 PIPELINING\r\n250 ok\r\n").quit();
    const Findings f = judge(scenario("none"), bad);
    EXPECT_RULE(f, "pipelining-only-when-offered", fail);
    EXPECT_EQ(rule(f, "pipelining-only-when-offered").message, "MAIL sent before the reply to EHLO");
}

TEST(VerdictEnvelope, BodyAfter354) {
    const Trace bad = TraceBuilder().S("220 mock\r\n").C("EHLO c\r\n").S("250-mock\r\n250 PIPELINING\r\n")
                          .C("MAIL FROM:<a@b>\r\n").S("250 ok\r\n").C("RCPT TO:<c@d>\r\n").S("250 ok\r\n")
                          .C("DATA\r\nSubject: x\r\n\r\nhi\r\n.\r\n").S("354 go\r\n250 ok\r\n").quit();
    const Findings f = judge(scenario("none"), bad);
    EXPECT_RULE(f, "body-after-354", fail);
    EXPECT_TRUE(quoted(rule(f, "body-after-354"), "<message body sent before 354>"));
    EXPECT_RULE(judge(scenario(), TraceBuilder().good()), "body-after-354", pass);
}

TEST(VerdictEnvelope, BodyAfterOdd354ToRsetIsSentAsCommands) {
    // CC-27: RSET answered 354; the client must not start a body.
    const Trace bad = TraceBuilder().S("220 mock\r\n").C("EHLO c\r\n").S("250 mock\r\n").C("RSET\r\n")
                          .S("354 Start mail input; End with <CRLF>.<CRLF>\r\n").C("Subject: x\r\n").S("500 what\r\n").quit();
    const Findings f = judge(scenario("none"), bad);
    EXPECT_RULE(f, "body-after-354", fail);
    EXPECT_TRUE(quoted(rule(f, "body-after-354"), "Subject: x"));
}

TEST(VerdictEnvelope, StopsAfter5xxToMail) {
    const Trace bad = TraceBuilder().S("220 mock\r\n").C("EHLO c\r\n").S("250 mock\r\n").C("MAIL FROM:<a@b>\r\n")
                          .S("550 5.7.60 SendAsDenied\r\n").C("RCPT TO:<c@d>\r\n").S("503 need MAIL\r\n").quit();
    const Findings f = judge(scenario("none"), bad);
    EXPECT_RULE(f, "stops-after-5xx", fail);
    EXPECT_EQ(rule(f, "stops-after-5xx").message, "RCPT after a 5xx to MAIL");
    EXPECT_TRUE(quoted(rule(f, "stops-after-5xx"), "RCPT TO:<c@d>"));
    const Trace ok = TraceBuilder().S("220 mock\r\n").C("EHLO c\r\n").S("250 mock\r\n").C("MAIL FROM:<a@b>\r\n")
                         .S("550 5.7.60 SendAsDenied\r\n").quit();
    const Findings g = judge(scenario("none"), ok);
    EXPECT_RULE(g, "stops-after-5xx", pass);
    EXPECT_EQ(g.outcome, Outcome::rejected);
    EXPECT_RULE(judge(scenario(), TraceBuilder().good()), "stops-after-5xx", skipped);
}

TEST(VerdictEnvelope, NoMailAfter554Greeting) {
    // CC-11.
    const Trace bad = TraceBuilder().S("554 No SMTP service here\r\n").C("EHLO c\r\n").S("503 no\r\n").C("MAIL FROM:<a@b>\r\n")
                          .S("503 no\r\n").quit();
    const Findings f = judge(scenario("none"), bad);
    EXPECT_RULE(f, "stops-after-5xx", fail);
    EXPECT_EQ(rule(f, "stops-after-5xx").message, "MAIL after a 5xx greeting");
    EXPECT_RULE(judge(scenario("none"), TraceBuilder().S("554 No SMTP service here\r\n").quit()), "stops-after-5xx", pass);
}

TEST(VerdictEnvelope, NoResendAfterPermanentDataFailure) {
    // CC-20: 554 after the dot is permanent; a second attempt is a resend.
    TraceBuilder b;
    b.S("220 mock\r\n").C("EHLO c\r\n").S("250 mock\r\n").message(test::good_body(), "554 5.6.0 content rejected\r\n").quit();
    b.next_connection().S("220 mock\r\n").C("EHLO c\r\n").S("250 mock\r\n").message(test::good_body()).quit();
    Scenario s = scenario("none");
    s.expect.max_attempts = 2;
    const Findings f = judge(s, b);
    EXPECT_RULE(f, "stops-after-5xx", fail);
    EXPECT_TRUE(quoted(rule(f, "stops-after-5xx"), "#2 C"));
}

TEST(VerdictEnvelope, QuitAtEnd) {
    TraceBuilder bad;
    bad.up_to_tls_ehlo().auth_login().message(test::good_body()).client_closed();
    const Findings f = judge(scenario(), bad);
    EXPECT_RULE(f, "quit-at-end", fail);
    EXPECT_TRUE(quoted(rule(f, "quit-at-end"), "250 2.0.0 OK queued"));
    EXPECT_TRUE(quoted(rule(f, "quit-at-end"), "client closed"));
    EXPECT_RULE(judge(scenario(), TraceBuilder().good()), "quit-at-end", pass);
}

}  // namespace
}  // namespace exosim::scenario
