// What the client put on the wire as message data (CC-23, CC-24).
#include "verdict_trace_builder.hpp"

namespace exosim::scenario {
namespace {

using test::quoted;
using test::rule;
using test::scenario;
using test::TraceBuilder;

const std::string headers = "Date: Mon, 6 Jan 2025 10:00:00 +0000\r\nFrom: <a@b.c>\r\nMessage-ID: <1@c>\r\n\r\n";

Findings with_body(const std::string& body) { return judge(scenario(), TraceBuilder().good(headers + body)); }

TEST(VerdictData, DotStuffing) {
    const Findings bad = with_body("hello\r\n.x\r\n.\r\n");
    EXPECT_RULE(bad, "dot-stuffing", fail);
    EXPECT_TRUE(quoted(rule(bad, "dot-stuffing"), "[tls] .x\\r\\n"));
    const Findings ok = with_body("..\r\n..x\r\n...\r\n.\r\n");
    EXPECT_RULE(ok, "dot-stuffing", pass);
    EXPECT_EQ(rule(ok, "dot-stuffing").message, "3 dot line(s), all stuffed");
}

TEST(VerdictData, CrlfOnlyInBody) {
    const Findings bad = with_body("bare\nline\r\nand\rcr\r\n.\r\n");
    EXPECT_RULE(bad, "crlf-only", fail);
    EXPECT_TRUE(quoted(rule(bad, "crlf-only"), "bare\\n"));
    EXPECT_TRUE(quoted(rule(bad, "crlf-only"), "and\\rcr\\r\\n"));
    EXPECT_RULE(with_body("fine\r\n.\r\n"), "crlf-only", pass);
}

TEST(VerdictData, CrlfOnlyInCommands) {
    const Trace t = TraceBuilder().S("220 mock\r\n").C("EHLO c\n").S("250 mock\r\n").quit();
    const Findings f = judge(scenario("none"), t);
    EXPECT_RULE(f, "crlf-only", fail);
    EXPECT_TRUE(quoted(rule(f, "crlf-only"), "EHLO c\\n"));
}

TEST(VerdictData, LineLength) {
    const Findings bad = with_body(std::string(2000, 'a') + "\r\n.\r\n");
    EXPECT_RULE(bad, "line-length", fail);
    EXPECT_EQ(rule(bad, "line-length").message, "body line of 2002 octets (limit 1000)");
    EXPECT_TRUE(quoted(rule(bad, "line-length"), "aaaa"));
    // RFC 5321 4.5.3.1.6: exactly 1000 octets including CRLF is allowed, 1001 is not.
    EXPECT_RULE(with_body(std::string(998, 'a') + "\r\n.\r\n"), "line-length", pass);
    EXPECT_RULE(with_body(std::string(999, 'a') + "\r\n.\r\n"), "line-length", fail);
    const Trace cmd = TraceBuilder().S("220 mock\r\n").C("EHLO " + std::string(600, 'x') + "\r\n").S("500 too long\r\n").quit();
    EXPECT_RULE(judge(scenario("none"), cmd), "line-length", fail);
}

TEST(VerdictData, SingleEndOfDataCatchesSmugglingDots) {
    const Findings bad = with_body("a\n.\r\nMAIL FROM:<evil@x>\r\n.\r\n");
    EXPECT_RULE(bad, "single-end-of-data", fail);
    EXPECT_TRUE(quoted(rule(bad, "single-end-of-data"), "a\\n.\\r\\n"));
    EXPECT_RULE(with_body("a\r\n..\r\n.\r\n"), "single-end-of-data", pass);
}

TEST(VerdictData, SingleEndOfDataCatchesTextAfterTheTerminator) {
    // An unstuffed "." line ends the body early; the rest arrives where commands are read.
    const Findings bad = with_body("first\r\n.\r\nsecond part\r\n.\r\n");
    EXPECT_RULE(bad, "single-end-of-data", fail);
    EXPECT_TRUE(quoted(rule(bad, "single-end-of-data"), "second part"));
}

}  // namespace
}  // namespace exosim::scenario
