// TLS rules: each with a trace that passes and one that fails, quoting the offending line.
#include "scenario/client_view.hpp"
#include "scenario/transcript_text.hpp"
#include "verdict_trace_builder.hpp"

namespace exosim::scenario {
namespace {

using test::quoted;
using test::rule;
using test::scenario;
using test::TraceBuilder;

TEST(VerdictTls, GoodSessionPassesEveryRule) {
    const Findings f = judge(scenario(), TraceBuilder().good());
    for (const Finding& r : f.rules) EXPECT_TRUE(r.as_expected) << test::dump(r);
    EXPECT_EQ(f.verdict, Verdict::pass);
    EXPECT_EQ(f.outcome, Outcome::delivered);
}

TEST(VerdictTls, StarttlsBeforeCredentialsFailsOnAuthBeforeStarttls) {
    // CC-07: AUTH offered before TLS and taken.
    const Trace t = TraceBuilder().S("220 mock\r\n").C("EHLO c\r\n").S("250-mock\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN\r\n")
                        .C("AUTH LOGIN\r\n").S("334 VXNlcm5hbWU6\r\n").C("dXNlcg==\r\n").S("535 no\r\n").quit();
    const Findings f = judge(scenario(), t);
    EXPECT_RULE(f, "starttls-before-credentials", fail);
    EXPECT_TRUE(quoted(rule(f, "starttls-before-credentials"), "C 0.040s [plain] AUTH LOGIN"));
    EXPECT_EQ(f.verdict, Verdict::fail);
    EXPECT_RULE(judge(scenario(), TraceBuilder().good()), "starttls-before-credentials", pass);
    EXPECT_RULE(judge(scenario("none"), t), "starttls-before-credentials", skipped);
}

TEST(VerdictTls, NoPlaintextMailFailsOnMailWithoutTls) {
    // CC-01: STARTTLS stripped, the client goes on in cleartext.
    const Trace t = TraceBuilder().S("220 mock\r\n").C("EHLO c\r\n").S("250-mock\r\n250 8BITMIME\r\n").message(test::good_body()).quit();
    const Findings f = judge(scenario(), t);
    EXPECT_RULE(f, "no-plaintext-mail", fail);
    EXPECT_TRUE(quoted(rule(f, "no-plaintext-mail"), "[plain] MAIL FROM:<user@contoso.com>"));
    EXPECT_RULE(judge(scenario(), TraceBuilder().good()), "no-plaintext-mail", pass);
    // The good response to stripping: QUIT.
    const Trace quit = TraceBuilder().S("220 mock\r\n").C("EHLO c\r\n").S("250-mock\r\n250 AUTH PLAIN LOGIN\r\n").quit();
    const Findings q = judge(scenario(), quit);
    EXPECT_RULE(q, "no-plaintext-mail", pass);
    EXPECT_RULE(q, "starttls-before-credentials", pass);
    EXPECT_EQ(q.outcome, Outcome::aborted);
}

TEST(VerdictTls, EhloAfterTls) {
    const Trace bad = TraceBuilder().S("220 mock\r\n").C("EHLO c\r\n").S("250-mock\r\n250 STARTTLS\r\n").C("STARTTLS\r\n")
                          .S("220 go\r\n").tls().C("AUTH LOGIN\r\n").S("503 5.5.1 EHLO first\r\n").quit();
    const Findings f = judge(scenario(), bad);
    EXPECT_RULE(f, "ehlo-after-tls", fail);
    EXPECT_TRUE(quoted(rule(f, "ehlo-after-tls"), "[tls] AUTH LOGIN"));
    EXPECT_RULE(judge(scenario(), TraceBuilder().good()), "ehlo-after-tls", pass);
    EXPECT_RULE(judge(scenario("implicit"), TraceBuilder().implicit_tls().S("220 x\r\n").C("EHLO c\r\n").S("250 x\r\n").quit()),
                "ehlo-after-tls", skipped);
}

TEST(VerdictTls, AbortsOnInvalidCertificate) {
    Scenario s = scenario();
    s.server.tls.certificate = CertificateKind::self_signed;
    const Findings bad = judge(s, TraceBuilder().good());
    EXPECT_RULE(bad, "aborts-on-invalid-certificate", fail);
    EXPECT_NE(rule(bad, "aborts-on-invalid-certificate").message.find("accepts invalid certificate (self_signed)"), std::string::npos);
    EXPECT_TRUE(quoted(rule(bad, "aborts-on-invalid-certificate"), "[tls] AUTH LOGIN"));
    // Strict mode: QUIT right after TLS (RFC 3207 4.1), or a failed handshake.
    const Trace quit = TraceBuilder().S("220 mock\r\n").C("EHLO c\r\n").S("250-mock\r\n250 STARTTLS\r\n").C("STARTTLS\r\n")
                           .S("220 go\r\n").tls().quit();
    EXPECT_RULE(judge(s, quit), "aborts-on-invalid-certificate", pass);
    const Trace refused = TraceBuilder().S("220 mock\r\n").C("EHLO c\r\n").S("250-mock\r\n250 STARTTLS\r\n").C("STARTTLS\r\n")
                              .S("220 go\r\n").tls_failed("certificate verify failed").client_closed();
    EXPECT_RULE(judge(s, refused), "aborts-on-invalid-certificate", pass);
    EXPECT_RULE(judge(scenario(), TraceBuilder().good()), "aborts-on-invalid-certificate", skipped);
}

TEST(VerdictTls, TlsVersionRecordedAndFloorEnforced) {
    const Findings ok = judge(scenario(), TraceBuilder().good());
    EXPECT_RULE(ok, "tls-version", pass);
    EXPECT_EQ(rule(ok, "tls-version").message, "negotiated TLSv1.3");
    EXPECT_EQ(ok.tls_versions, std::vector<std::string>{"TLSv1.3"});
    TraceBuilder old;
    old.S("220 mock\r\n").C("EHLO c\r\n").S("250-mock\r\n250 STARTTLS\r\n").C("STARTTLS\r\n").S("220 go\r\n").tls("TLSv1").quit();
    JudgeOptions o;
    o.min_tls_version = "1.2";
    const Findings f = judge(scenario(), old, o);
    EXPECT_RULE(f, "tls-version", fail);
    EXPECT_TRUE(quoted(rule(f, "tls-version"), "TLS started TLSv1"));
    EXPECT_RULE(judge(scenario(), old), "tls-version", pass);
}

TEST(VerdictTls, NoStarttlsLoop) {
    // CC-30: the post-TLS EHLO still lists STARTTLS.
    TraceBuilder loop;
    loop.up_to_tls_ehlo("250-mock\r\n250-STARTTLS\r\n250 AUTH LOGIN\r\n").C("STARTTLS\r\n").S("503 5.5.1 already\r\n").quit();
    const Findings f = judge(scenario(), loop);
    EXPECT_RULE(f, "no-starttls-loop", fail);
    EXPECT_TRUE(quoted(rule(f, "no-starttls-loop"), "[tls] STARTTLS"));
    EXPECT_RULE(judge(scenario(), TraceBuilder().good()), "no-starttls-loop", pass);
}

TEST(VerdictTls, TlsFloorFromTheExpectation) {
    TraceBuilder old;
    old.S("220 mock\r\n").C("EHLO c\r\n").S("250-mock\r\n250 STARTTLS\r\n").C("STARTTLS\r\n").S("220 go\r\n").tls("TLSv1.1").quit();
    Scenario s = scenario();
    s.expect.min_tls_version = "1.2";
    const Findings f = judge(s, old);
    EXPECT_RULE(f, "tls-version", fail);
    EXPECT_EQ(rule(f, "tls-version").message, "negotiated TLSv1.1, below the expected minimum TLS 1.2");
    s.expect.min_tls_version = "1.1";
    EXPECT_RULE(judge(s, old), "tls-version", pass);
    JudgeOptions o;  // the stricter floor applies
    o.min_tls_version = "1.2";
    EXPECT_RULE(judge(s, old, o), "tls-version", fail);
    o.min_tls_version = "1.0";
    EXPECT_RULE(judge(s, old, o), "tls-version", pass);
}

// CC-10 / CC-02: a TLS ClientHello where the server reads plaintext is TLS, not SMTP text.
const std::string client_hello = std::string("\x16\x03\x01\x00\x30\x01\x00\x00\x2c\x03\x03", 11) +
                                 std::string("\x0a\r\n\x00\xff random\n bytes", 20);

TEST(VerdictTls, ImplicitClientHelloOnAPlaintextPort) {
    // The client opens with a ClientHello (before the greeting), gets the plaintext greeting and
    // gives up.
    const Trace t = TraceBuilder().C(client_hello).S("220 mock.example ESMTP\r\n").client_closed();
    const ClientView v = read_client_view(t.connections[0]);
    EXPECT_TRUE(v.lines.empty());
    ASSERT_TRUE(v.plaintext_tls);
    EXPECT_EQ(v.plaintext_tls->octets, client_hello.size());
    EXPECT_TRUE(v.plaintext_tls->before_greeting);
    const Findings f = judge(scenario("implicit"), t);
    for (const char* id : {"crlf-only", "pipelining-only-when-offered", "no-plaintext-credentials", "no-plaintext-mail",
                           "line-length", "body-after-354", "single-end-of-data"})
        EXPECT_NE(rule(f, id).verdict, Verdict::fail) << id;
    EXPECT_RULE(f, "no-pregreet", pass);
    EXPECT_TRUE(quoted(rule(f, "no-pregreet"), "<TLS ClientHello, 31 octets>"));
    EXPECT_EQ(f.outcome, Outcome::aborted);
    const ConnectionTranscript tr = build_transcript(t.connections[0], v);
    ASSERT_FALSE(tr.lines.empty());
    EXPECT_EQ(tr.lines.front().text, "<TLS handshake records (ClientHello), 31 octets, in plaintext>");
    // CC-10 on port 465: never answered, then dropped by the server. The handshake failed; no SMTP
    // request was pending, so this is not a temporary SMTP failure.
    const Trace silent = TraceBuilder().C(client_hello).wait(5000).server_closed();
    const Findings g = judge(scenario("implicit"), silent);
    EXPECT_EQ(g.outcome, Outcome::aborted);
    EXPECT_RULE(g, "retries-after-4xx-bounded", skipped);
}

TEST(VerdictTls, ClientHelloAfterAStarttlsThatNeverStarted) {
    // CC-02: 220 to STARTTLS, then the server carries on in plaintext; the handshake goes out in
    // plaintext in two reads and later plaintext client bytes (an alert) stay TLS.
    const Trace t = TraceBuilder().S("220 mock\r\n").C("EHLO c\r\n").S("250-mock\r\n250 STARTTLS\r\n").C("STARTTLS\r\n")
                        .S("220 2.0.0 Ready\r\n").C(client_hello.substr(0, 7)).C(client_hello.substr(7))
                        .S("500 5.3.3 Unrecognized command\r\n").C(std::string("\x15\x03\x03\x00\x02\x02\x0a", 7))
                        .client_closed();
    const ClientView v = read_client_view(t.connections[0]);
    ASSERT_EQ(v.lines.size(), 2u);  // EHLO, STARTTLS
    ASSERT_TRUE(v.plaintext_tls);
    EXPECT_EQ(v.plaintext_tls->octets, client_hello.size() + 7);
    EXPECT_FALSE(v.plaintext_tls->before_greeting);
    Scenario s = scenario();
    s.expect.outcome = Outcome::aborted;
    const Findings f = judge(s, t);
    EXPECT_RULE(f, "crlf-only", pass);
    EXPECT_RULE(f, "no-plaintext-credentials", pass);
    EXPECT_RULE(f, "no-plaintext-mail", pass);
    EXPECT_RULE(f, "pipelining-only-when-offered", pass);
    EXPECT_EQ(f.verdict, Verdict::pass) << f.error;
}

}  // namespace
}  // namespace exosim::scenario
