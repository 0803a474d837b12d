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

// RFC 2920 3.1: RCPT and DATA in the same batch as a MAIL that got 5xx were sent before the
// client could read it; only commands sent after the 5xx arrived ignore it.
TEST(VerdictEnvelope, StopsAfter5xxIgnoresTheBatchAlreadySent) {
    const std::string batch = "MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n";
    const Trace ok = TraceBuilder().S("220 mock\r\n").C("EHLO c\r\n").S("250-mock\r\n250 PIPELINING\r\n").C(batch)
                         .S("530 5.7.57 Client not authenticated\r\n503 5.5.1 Bad sequence\r\n503 5.5.1 Bad sequence\r\n").quit();
    Scenario s = scenario("none");
    s.expect.outcome = Outcome::rejected;
    const Findings f = judge(s, ok);
    EXPECT_RULE(f, "stops-after-5xx", pass);
    EXPECT_EQ(f.verdict, Verdict::pass);
    // The reply arrived between two of the client's writes: the RCPT written after it is caught.
    const Trace bad = TraceBuilder().S("220 mock\r\n").C("EHLO c\r\n").S("250-mock\r\n250 PIPELINING\r\n")
                          .C("MAIL FROM:<a@b>\r\n").S("550 5.7.1 no\r\n").C("RCPT TO:<c@d>\r\n").S("503 5.5.1 Bad sequence\r\n").quit();
    const Findings g = judge(s, bad);
    EXPECT_RULE(g, "stops-after-5xx", fail);
    EXPECT_EQ(rule(g, "stops-after-5xx").message, "RCPT after a 5xx to MAIL");
    EXPECT_TRUE(quoted(rule(g, "stops-after-5xx"), "RCPT TO:<c@d>"));
    // CC-19: DATA pipelined with the failing RCPTs is fine; DATA after reading them is not.
    const Trace data_late = TraceBuilder().S("220 mock\r\n").C("EHLO c\r\n").S("250-mock\r\n250 PIPELINING\r\n")
                                .C("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n").S("250 ok\r\n550 5.1.1 unknown\r\n").C("DATA\r\n")
                                .S("554 5.5.1 no valid recipients\r\n").quit();
    EXPECT_EQ(rule(judge(s, data_late), "stops-after-5xx").message, "DATA after every RCPT failed");
    const Trace data_batched = TraceBuilder().S("220 mock\r\n").C("EHLO c\r\n").S("250-mock\r\n250 PIPELINING\r\n")
                                   .C(batch).S("250 ok\r\n550 5.1.1 unknown\r\n554 5.5.1 no valid recipients\r\n").quit();
    EXPECT_RULE(judge(s, data_batched), "stops-after-5xx", pass);
}

TEST(VerdictEnvelope, StopsAfter5xxAcrossConnections) {
    // CC-26: the message rejected at end of data must not be sent again on a later attempt.
    Scenario s = scenario();
    s.expect.outcome = Outcome::rejected;
    s.expect.max_attempts = 2;
    TraceBuilder t;
    t.up_to_tls_ehlo().auth_login().message(test::good_body(), "550 5.7.1 rejected\r\n").quit()
        .next_connection().up_to_tls_ehlo().auth_login().message(test::good_body(), "550 5.7.1 rejected\r\n").quit();
    const Findings f = judge(s, t);
    EXPECT_RULE(f, "stops-after-5xx", fail);
    EXPECT_EQ(rule(f, "stops-after-5xx").message, "message sent again after a permanent failure");
}

}  // namespace
}  // namespace exosim::scenario
