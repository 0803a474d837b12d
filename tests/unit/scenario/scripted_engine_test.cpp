// ScriptPolicy + ReplyScript driven through the real core::Engine: the exact bytes a client under
// test receives for the client-conformance cases of security-tests.md B2.
#include <gtest/gtest.h>

#include "scripted_wire.hpp"

namespace exosim::scenario {
namespace {

using testing::ScriptedWire;
using testing::scenario_from_yaml;

constexpr std::string_view greeting = "220 mock.example ESMTP exosim ready\r\n";
constexpr std::string_view ehlo_head = "250-mock.example Hello client.example\r\n";

struct ScenarioRun {
    explicit ScenarioRun(std::string_view yaml)
        : scenario(scenario_from_yaml(yaml)), cursor(std::make_shared<Cursor>(scenario)) {}
    ScriptedWire connect() { return ScriptedWire(scenario, cursor); }
    std::shared_ptr<const Scenario> scenario;
    std::shared_ptr<Cursor> cursor;
};

TEST(ScriptedEngine, UnscriptedSessionIsTheProfile) {
    ScenarioRun run("id: plain\n");
    ScriptedWire w = run.connect();
    EXPECT_EQ(w.greeting(), greeting);
    EXPECT_EQ(w.send("EHLO client.example\r\n"),
              std::string(ehlo_head) + "250-SIZE 157286400\r\n250-PIPELINING\r\n250-DSN\r\n250-ENHANCEDSTATUSCODES\r\n"
                                       "250-STARTTLS\r\n250-8BITMIME\r\n250-CHUNKING\r\n250 SMTPUTF8\r\n");
}

// CC-01: STARTTLS stripped from the pre-TLS EHLO, AUTH offered in plaintext instead.
TEST(ScriptedEngine, Cc01StrippedStarttls) {
    ScenarioRun run(R"(
server:
  capabilities: {remove: [starttls], add: ["AUTH PLAIN LOGIN"]}
)");
    ScriptedWire w = run.connect();
    EXPECT_EQ(w.send("EHLO client.example\r\n"),
              std::string(ehlo_head) + "250-SIZE 157286400\r\n250-PIPELINING\r\n250-DSN\r\n250-ENHANCEDSTATUSCODES\r\n"
                                       "250-8BITMIME\r\n250-CHUNKING\r\n250-SMTPUTF8\r\n250 AUTH PLAIN LOGIN\r\n");
}

// CC-02: STARTTLS advertised but refused; the session stays in plaintext.
TEST(ScriptedEngine, Cc02StarttlsRefused) {
    ScenarioRun run(R"(
server:
  rules:
    - {on: starttls, do: {reply: "502 5.5.1 Command not implemented"}}
)");
    ScriptedWire w = run.connect();
    w.send("EHLO client.example\r\n");
    EXPECT_EQ(w.send("STARTTLS\r\n"), "502 5.5.1 Command not implemented\r\n");
    EXPECT_FALSE(w.tls());
    EXPECT_EQ(w.send("MAIL FROM:<a@contoso.com>\r\n"), "250 2.1.0 Sender OK\r\n");
}

// CC-02 variant: a positive but wrong answer (354) must not start TLS either.
TEST(ScriptedEngine, Cc02PositiveNon220DoesNotStartTls) {
    ScenarioRun run("server: {rules: [{on: starttls, do: {reply: \"354 do something else\"}}]}\n");
    ScriptedWire w = run.connect();
    w.send("EHLO client.example\r\n");
    EXPECT_EQ(w.send("STARTTLS\r\n"), "354 do something else\r\n");
    EXPECT_FALSE(w.tls());
}

// CC-04: the injected EHLO reply leaves in the same write as the 220, then TLS really starts and
// the post-TLS EHLO is never answered.
TEST(ScriptedEngine, Cc04InjectionAfter220InOneWrite) {
    ScenarioRun run(R"(
server:
  rules:
    - on: starttls
      do: {append_raw: "250-evil.example\r\n250 AUTH PLAIN LOGIN\r\n"}
    - on: ehlo
      when: {after_tls: true}
      do: {stall: true}
)");
    ScriptedWire w = run.connect();
    w.send("EHLO client.example\r\n");
    EXPECT_EQ(w.send("STARTTLS\r\n"), "220 2.0.0 Ready to start TLS\r\n250-evil.example\r\n250 AUTH PLAIN LOGIN\r\n");
    ASSERT_EQ(w.writes().size(), 1u);
    EXPECT_TRUE(w.tls());
    EXPECT_EQ(w.send("EHLO client.example\r\n"), "");
    EXPECT_TRUE(w.stalled());
    EXPECT_EQ(w.send("AUTH PLAIN AHByaW50ZXJAY29udG9zby5jb20AUHJpbnRlci1QYXNzLTE=\r\n"), "");
}

// CC-05: the post-TLS list replaces the pre-TLS one; a mechanism only offered before TLS is refused.
TEST(ScriptedEngine, Cc05PostTlsCapabilitiesReplaced) {
    ScenarioRun run(R"(
server:
  capabilities:
    before_tls: [PIPELINING, STARTTLS, "AUTH PLAIN LOGIN CRAM-MD5 SCRAM-SHA-256"]
    after_tls: ["AUTH XOAUTH2"]
)");
    ScriptedWire w = run.connect();
    EXPECT_EQ(w.send("EHLO client.example\r\n"),
              std::string(ehlo_head) + "250-PIPELINING\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN CRAM-MD5 SCRAM-SHA-256\r\n");
    EXPECT_EQ(w.send("STARTTLS\r\n"), "220 2.0.0 Ready to start TLS\r\n");
    EXPECT_EQ(w.send("EHLO client.example\r\n"), std::string(ehlo_head) + "250 AUTH XOAUTH2\r\n");
    EXPECT_EQ(w.send("AUTH PLAIN AHByaW50ZXJAY29udG9zby5jb20AUHJpbnRlci1QYXNzLTE=\r\n").substr(0, 4), "504 ");
}

// "Reply 451 twice, then accept", across the connections of one run.
TEST(ScriptedEngine, Rcpt451TwiceThenAccept) {
    ScenarioRun run(R"(
server:
  rules:
    - on: rcpt
      when: {recipient: bob@contoso.com, times: 2}
      do: {reply: "451 4.3.0 try later"}
)");
    for (int attempt = 1; attempt <= 3; ++attempt) {
        ScriptedWire w = run.connect();
        EXPECT_EQ(w.attempt(), static_cast<unsigned>(attempt));
        w.send("EHLO client.example\r\nMAIL FROM:<printer@contoso.com>\r\n");
        EXPECT_EQ(w.send("RCPT TO:<alice@contoso.com>\r\n"), "250 2.1.5 Recipient OK\r\n");
        EXPECT_EQ(w.send("RCPT TO:<Bob@Contoso.com>\r\n"),
                  attempt <= 2 ? "451 4.3.0 try later\r\n" : "250 2.1.5 Recipient OK\r\n");
    }
}

// CC-13: malformed replies go out byte for byte.
TEST(ScriptedEngine, Cc13MalformedReplies) {
    ScenarioRun run(R"(
server:
  rules:
    - {on: mail, when: {nth: 1}, do: {raw: "250 OK\n"}}
    - {on: mail, when: {nth: 2}, do: {raw: "\x00\x00\x00\r\n"}}
    - {on: mail, when: {nth: 3}, do: {raw_hex: "32 35 30 20 ff fe 0d 0a"}}
    - {on: mail, when: {nth: 4}, do: {raw: "250 \xff\xfe\r\n"}}
)");
    ScriptedWire w = run.connect();
    w.send("EHLO client.example\r\n");
    EXPECT_EQ(w.send("MAIL FROM:<a@contoso.com>\r\n"), "250 OK\n");
    w.send("RSET\r\n");
    EXPECT_EQ(w.send("MAIL FROM:<a@contoso.com>\r\n"), std::string("\0\0\0\r\n", 5));
    w.send("RSET\r\n");
    EXPECT_EQ(w.send("MAIL FROM:<a@contoso.com>\r\n"), "250 \xff\xfe\r\n");
    w.send("RSET\r\n");
    EXPECT_EQ(w.send("MAIL FROM:<a@contoso.com>\r\n"), "250 \xff\xfe\r\n");
}

// CC-11: a 554 greeting; the engine then refuses everything but QUIT.
TEST(ScriptedEngine, Cc11Greeting554) {
    ScenarioRun run("server: {greeting: \"554 No SMTP service here\"}\n");
    ScriptedWire w = run.connect();
    EXPECT_EQ(w.greeting(), "554 No SMTP service here\r\n");
    EXPECT_EQ(w.send("MAIL FROM:<a@contoso.com>\r\n").substr(0, 4), "503 ");
    EXPECT_EQ(w.send("QUIT\r\n").substr(0, 4), "221 ");
}

TEST(ScriptedEngine, Cc11MultiLineGreetingAnd421) {
    ScenarioRun multi("server: {greeting: \"220-multi\\n220 line\"}\n");
    EXPECT_EQ(multi.connect().greeting(), "220-multi\r\n220 line\r\n");
    ScenarioRun busy("server: {greeting: \"421 4.3.2 Service not available\"}\n");
    ScriptedWire w = busy.connect();
    EXPECT_EQ(w.greeting(), "421 4.3.2 Service not available\r\n");
    EXPECT_TRUE(w.closed());
}

// CC-21: the whole message is received and stored, then the connection closes without a reply.
TEST(ScriptedEngine, Cc21CloseAfterEndOfDataWithoutReply) {
    ScenarioRun run("server: {rules: [{on: end_of_data, when: {attempt: 1}, do: {close: true, no_reply: true}}]}\n");
    ScriptedWire w = run.connect();
    w.send("EHLO client.example\r\nMAIL FROM:<a@contoso.com>\r\nRCPT TO:<b@contoso.com>\r\n");
    EXPECT_EQ(w.send("DATA\r\n"), "354 Start mail input; end with <CRLF>.<CRLF>\r\n");
    EXPECT_EQ(w.send("Subject: x\r\n\r\nbody\r\n.\r\n"), "");
    EXPECT_TRUE(w.closed());
    EXPECT_EQ(w.log().back(), "close");
    EXPECT_EQ(w.log()[w.log().size() - 2], "store");
    // The retry (attempt 2) is accepted.
    ScriptedWire retry = run.connect();
    retry.send("EHLO client.example\r\nMAIL FROM:<a@contoso.com>\r\nRCPT TO:<b@contoso.com>\r\nDATA\r\n");
    EXPECT_EQ(retry.send("Subject: x\r\n\r\nbody\r\n.\r\n"), "250 2.0.0 OK queued as msg-1\r\n");
}

// Pipelined commands: each reply is matched to its own command, in one batch.
TEST(ScriptedEngine, PipelinedRepliesAreAttributedToTheirCommands) {
    ScenarioRun run(R"(
server:
  rules:
    - {on: rcpt, when: {recipient: bob@contoso.com}, do: {raw: "250 bob\r\n", delay: 5}}
)");
    ScriptedWire w = run.connect();
    w.send("EHLO client.example\r\n");
    EXPECT_EQ(w.send("MAIL FROM:<a@contoso.com>\r\nRCPT TO:<al@contoso.com>\r\nRCPT TO:<bob@contoso.com>\r\nDATA\r\n"),
              "250 2.1.0 Sender OK\r\n|250 2.1.5 Recipient OK\r\n|250 bob\r\n|354 Start mail input; end with <CRLF>.<CRLF>\r\n");
}

// A malformed RCPT answered by the engine (501) at the same step does not consume the scripted reply.
TEST(ScriptedEngine, EngineErrorAtTheSameStepIsLeftAlone) {
    ScenarioRun run("server: {rules: [{on: rcpt, do: {reply: \"250 fine\", append_raw: \"X\"}}]}\n");
    ScriptedWire w = run.connect();
    w.send("EHLO client.example\r\nMAIL FROM:<a@contoso.com>\r\n");
    const std::string out = w.send("RCPT TO:<bad\r\nRCPT TO:<b@contoso.com>\r\n");
    EXPECT_EQ(out.substr(0, 4), "501 ");
    EXPECT_EQ(out.substr(out.find('|') + 1), "250 fine\r\nX");
}

// CC-12: the EHLO reply written in pieces with pauses between.
TEST(ScriptedEngine, SplitReply) {
    ScenarioRun run("server: {capabilities: {before_tls: [PIPELINING]}, rules: [{on: ehlo, do: {split_at: [1, 4]}}]}\n");
    ScriptedWire w = run.connect();
    EXPECT_EQ(w.send("EHLO client.example\r\n"), "2|50-|mock.example Hello client.example\r\n250 PIPELINING\r\n");
    EXPECT_EQ(w.log()[w.log().size() - 2], "pause 20");
}

// CC-28: the AUTH challenge replaced with garbage.
TEST(ScriptedEngine, AuthChallengeRaw) {
    ScenarioRun run("server: {rules: [{on: auth, do: {raw: \"334 !!!\\r\\n\"}}]}\n");
    ScriptedWire w = run.connect();
    w.send("EHLO client.example\r\nSTARTTLS\r\n");
    w.send("EHLO client.example\r\n");
    EXPECT_EQ(w.send("AUTH LOGIN\r\n"), "334 !!!\r\n");
    EXPECT_EQ(w.send("cHJpbnRlckBjb250b3NvLmNvbQ==\r\n"), "334 UGFzc3dvcmQ6\r\n");
    EXPECT_EQ(w.send("UHJpbnRlci1QYXNzLTE=\r\n"), "235 2.7.0 Authentication successful\r\n");
}

// A scripted 235 is given once the exchange completes, whatever the credentials.
TEST(ScriptedEngine, ScriptedAuthSuccess) {
    ScenarioRun run("server: {rules: [{on: auth, do: {reply: \"235 2.7.0 welcome\"}}]}\n");
    ScriptedWire w = run.connect();
    w.send("EHLO client.example\r\nSTARTTLS\r\n");
    w.send("EHLO client.example\r\n");
    EXPECT_EQ(w.send("AUTH PLAIN AHgAeQ==\r\n"), "235 2.7.0 welcome\r\n");
}

// tls.starts false: STARTTLS answered 220, but the session stays in plaintext.
TEST(ScriptedEngine, TlsNeverStarts) {
    ScenarioRun run("server: {tls: {starts: false}}\n");
    ScriptedWire w = run.connect();
    w.send("EHLO client.example\r\n");
    EXPECT_EQ(w.send("STARTTLS\r\n"), "220 2.0.0 SMTP server ready\r\n");
    EXPECT_FALSE(w.tls());
    EXPECT_EQ(w.send("MAIL FROM:<a@contoso.com>\r\n"), "250 2.1.0 Sender OK\r\n");
}

TEST(ScriptedEngine, DelayThenCloseAfterReply) {
    ScenarioRun run("server: {rules: [{on: quit, do: {reply: \"220 OK client!\", delay: 2s, close: true}}]}\n");
    ScriptedWire w = run.connect();
    EXPECT_EQ(w.send("QUIT\r\n"), "220 OK client!\r\n");
    const auto& log = w.log();
    ASSERT_GE(log.size(), 3u);
    EXPECT_EQ(log[log.size() - 3], "pause 2000");
    EXPECT_EQ(log.back(), "close");
}

// The proof of the closed action vocabulary: a fatal TLS alert once the client streams DATA.
TEST(ScriptedEngine, TlsAlertMidData) {
    ScenarioRun run(R"(
server:
  rules:
    - {on: data, do: {tls_alert: internal_error}}
)");
    ScriptedWire w = run.connect();
    w.send("EHLO client.example\r\n");
    w.send("MAIL FROM:<a@contoso.com>\r\nRCPT TO:<b@contoso.com>\r\n");
    EXPECT_EQ(w.send("DATA\r\n"), "354 Start mail input; end with <CRLF>.<CRLF>\r\n");
    EXPECT_EQ(w.send("Subject: x\r\n"), "");  // nothing in SMTP: the alert and the close
    EXPECT_TRUE(w.closed());
    const auto& log = w.log();
    ASSERT_GE(log.size(), 2u);
    EXPECT_EQ(log[log.size() - 2], "tls-alert internal_error");
    EXPECT_EQ(log.back(), "close");
}

}  // namespace
}  // namespace exosim::scenario
