// Credential and capability rules.
#include "verdict_trace_builder.hpp"

namespace exosim::scenario {
namespace {

using test::quoted;
using test::rule;
using test::scenario;
using test::TraceBuilder;

TEST(VerdictAuth, NoPlaintextCredentials) {
    // CC-02: STARTTLS refused with 454, the client authenticates anyway.
    const Trace t = TraceBuilder().S("220 mock\r\n").C("EHLO c\r\n").S("250-mock\r\n250-STARTTLS\r\n250 AUTH PLAIN\r\n")
                        .C("STARTTLS\r\n").S("454 4.7.0 TLS not available\r\n").C("AUTH PLAIN AHVzZXJAY29udG9zby5jb20Ac2VjcmV0cHc=\r\n")
                        .S("235 ok\r\n").quit();
    const Findings f = judge(scenario(), t);
    EXPECT_RULE(f, "no-plaintext-credentials", fail);
    const Finding& r = rule(f, "no-plaintext-credentials");
    EXPECT_TRUE(quoted(r, "[plain] AUTH PLAIN <initial response, 36 octets>")) << test::dump(r);
    EXPECT_TRUE(quoted(r, "<client bytes containing the password>"));
    for (const std::string& q : r.quotes) EXPECT_EQ(q.find("c2VjcmV0cHc"), std::string::npos) << "secret leaked into a quote";
    EXPECT_RULE(judge(scenario(), TraceBuilder().good()), "no-plaintext-credentials", pass);
    EXPECT_RULE(judge(scenario("none"), t), "no-plaintext-credentials", skipped);
}

TEST(VerdictAuth, PasswordInAnyPlaintextBytesIsCaught) {
    const Trace t = TraceBuilder().S("220 mock\r\n").C("XPASS secretpw\r\n").S("500 what\r\n").quit();
    EXPECT_RULE(judge(scenario(), t), "no-plaintext-credentials", fail);
}

TEST(VerdictAuth, PostTlsCapabilitiesOnly) {
    // CC-05: pre-TLS offers PLAIN, post-TLS only XOAUTH2; the client uses PLAIN.
    TraceBuilder b;
    b.S("220 mock\r\n").C("EHLO c\r\n").S("250-mock\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN CRAM-MD5\r\n").C("STARTTLS\r\n")
        .S("220 go\r\n").tls().C("EHLO c\r\n").S("250-mock\r\n250 AUTH XOAUTH2\r\n").C("AUTH PLAIN AGEAYg==\r\n").S("504 no\r\n").quit();
    const Findings f = judge(scenario(), b);
    EXPECT_RULE(f, "post-tls-capabilities-only", fail);
    const Finding& r = rule(f, "post-tls-capabilities-only");
    EXPECT_EQ(r.message, "AUTH PLAIN not offered (offered: XOAUTH2)");
    EXPECT_TRUE(quoted(r, "[tls] AUTH PLAIN"));
    EXPECT_TRUE(quoted(r, "250 AUTH XOAUTH2"));
    EXPECT_RULE(judge(scenario(), TraceBuilder().good()), "post-tls-capabilities-only", pass);
}

TEST(VerdictAuth, LegacyAuthEqualsFormCounts) {
    TraceBuilder b;
    b.up_to_tls_ehlo("250-mock\r\n250 AUTH=LOGIN PLAIN\r\n").auth_login().quit();
    EXPECT_RULE(judge(scenario(), b), "post-tls-capabilities-only", pass);
}

TEST(VerdictAuth, ExtensionNotOfferedFails) {
    TraceBuilder b;
    b.up_to_tls_ehlo("250-mock\r\n250 AUTH LOGIN\r\n").C("MAIL FROM:<a@b> SIZE=100\r\n").S("250 ok\r\n").quit();
    const Findings f = judge(scenario(), b);
    EXPECT_RULE(f, "post-tls-capabilities-only", fail);
    EXPECT_EQ(rule(f, "post-tls-capabilities-only").message, "SIZE= used but SIZE not offered");
}

TEST(VerdictAuth, ResponseInjectionUse) {
    // CC-04: injected capability list after 220; the mock does not answer EHLO inside TLS.
    TraceBuilder bad;
    bad.S("220 mock\r\n").C("EHLO c\r\n").S("250-mock\r\n250 STARTTLS\r\n").C("STARTTLS\r\n")
        .S("220 Ready to start TLS\r\n250-evil.example\r\n250 AUTH PLAIN LOGIN\r\n").tls()
        .C("EHLO c\r\n").C("AUTH PLAIN AGEAYg==\r\n").wait(30000).timeout().server_closed();
    const Findings f = judge(scenario(), bad);
    EXPECT_RULE(f, "no-response-injection-use", fail);
    EXPECT_TRUE(quoted(rule(f, "no-response-injection-use"), "[tls] AUTH PLAIN"));
    EXPECT_NE(rule(f, "no-response-injection-use").message.find("1 injected"), std::string::npos);
    EXPECT_RULE(f, "post-tls-capabilities-only", fail);  // the mechanism came from the injected list
    TraceBuilder good;
    good.S("220 mock\r\n").C("EHLO c\r\n").S("250-mock\r\n250 STARTTLS\r\n").C("STARTTLS\r\n")
        .S("220 Ready to start TLS\r\n250-evil.example\r\n250 AUTH PLAIN LOGIN\r\n").tls().C("EHLO c\r\n").wait(30000).client_closed();
    EXPECT_RULE(judge(scenario(), good), "no-response-injection-use", pass);
}

}  // namespace
}  // namespace exosim::scenario
