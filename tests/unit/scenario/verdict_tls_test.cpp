// TLS rules: each with a trace that passes and one that fails, quoting the offending line.
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

}  // namespace
}  // namespace exosim::scenario
