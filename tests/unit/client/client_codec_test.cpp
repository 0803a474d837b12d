// ClientCodec connection flow: exact bytes sent for the B2 cases of security-tests.md.
#include "reference/client_codec.hpp"

#include <gtest/gtest.h>

#include "client/codec_driver.hpp"
#include "reference/base64.hpp"

namespace exosim::client {
namespace {

using test::CodecDriver;
using test::base_config;

TEST(ClientCodec, HappyPathWithStarttlsAndLogin) {
    ClientConfig config = base_config();
    CodecDriver d(config);
    EXPECT_EQ(d.reply(test::greeting), "EHLO printer.local\r\n");
    EXPECT_EQ(d.reply(test::pre_tls_ehlo), "STARTTLS\r\n");
    EXPECT_EQ(d.reply("220 2.0.0 Ready to start TLS\r\n"), "<TLS>");
    EXPECT_EQ(d.codec().waiting_for(), Wait::tls);
    EXPECT_EQ(d.tls(), "EHLO printer.local\r\n");
    EXPECT_EQ(d.reply(test::post_tls_ehlo), "AUTH LOGIN\r\n");
    EXPECT_EQ(d.reply("334 VXNlcm5hbWU6\r\n"), base64_encode("printer@contoso.com") + "\r\n");
    EXPECT_EQ(d.reply("334 UGFzc3dvcmQ6\r\n"), base64_encode("Printer-Pass-1") + "\r\n");
    // The post-TLS list has no PIPELINING: one command at a time.
    EXPECT_EQ(d.reply("235 2.7.0 Authentication successful\r\n"), "MAIL FROM:<printer@contoso.com> SIZE=27\r\n");
    EXPECT_EQ(d.codec().waiting_for(), Wait::mail);
    EXPECT_EQ(d.reply("250 2.1.0 Sender OK\r\n"), "RCPT TO:<alice@contoso.com>\r\n");
    EXPECT_EQ(d.reply("250 2.1.5 Recipient OK\r\n"), "DATA\r\n");
    EXPECT_EQ(d.reply("354 Start mail input\r\n"), "Subject: Scan\r\n\r\nhello\r\n.\r\n");
    EXPECT_EQ(d.codec().waiting_for(), Wait::data_term);
    EXPECT_EQ(d.reply("250 2.0.0 OK queued\r\n"), "QUIT\r\n");
    EXPECT_EQ(d.reply("221 2.0.0 Bye\r\n"), "<CLOSE>");
    EXPECT_TRUE(d.codec().finished());
    EXPECT_EQ(d.outcome().result, Result::delivered);
    EXPECT_EQ(d.outcome().accepted, std::vector<std::string>{"alice@contoso.com"});
    EXPECT_EQ(d.outcome().auth_used, "LOGIN");
    EXPECT_EQ(d.outcome().reply.code, 250);
}

// CC-01: no STARTTLS in the list means QUIT, never AUTH or MAIL.
TEST(ClientCodec, StrippedStarttlsQuits) {
    CodecDriver d(base_config());
    d.reply(test::greeting);
    EXPECT_EQ(d.reply("250-mock.example\r\n250 AUTH PLAIN LOGIN\r\n"), "QUIT\r\n<CLOSE>");
    EXPECT_EQ(d.outcome().result, Result::refused);
}

TEST(ClientCodec, QuirkIgnoreStrippedStarttlsGoesOnInPlaintext) {
    ClientConfig config = base_config();
    config.quirks.ignore_stripped_starttls = true;
    CodecDriver d(config);
    d.reply(test::greeting);
    EXPECT_EQ(d.reply("250-mock.example\r\n250 AUTH PLAIN LOGIN\r\n"), "AUTH LOGIN\r\n");
}

TEST(ClientCodec, RequireTlsBeatsEveryQuirk) {
    ClientConfig config = base_config();
    config.require_tls = true;
    config.quirks.ignore_stripped_starttls = true;
    config.quirks.auth_before_tls = true;
    CodecDriver d(config);
    d.reply(test::greeting);
    EXPECT_EQ(d.reply("250-mock.example\r\n250 AUTH PLAIN LOGIN\r\n"), "QUIT\r\n<CLOSE>");
}

// CC-29: look-alike keywords are not STARTTLS; a lower-case one is.
TEST(ClientCodec, CapabilityKeywordsAreWholeTokens) {
    CodecDriver fake(base_config());
    fake.reply(test::greeting);
    EXPECT_EQ(fake.reply("250-mock\r\n250-XSTARTTLS\r\n250-STARTTLSX\r\n250 X-STARTTLS\r\n"), "QUIT\r\n<CLOSE>");
    CodecDriver lower(base_config());
    lower.reply(test::greeting);
    EXPECT_EQ(lower.reply("250-mock\r\n250-starttls\r\n250 SIZE\r\n"), "STARTTLS\r\n");
}

// CC-02: 454 is retried later, 502 is a refusal; neither lets anything go out in plaintext.
TEST(ClientCodec, StarttlsRefused) {
    for (auto [reply, result] : {std::pair{"454 4.7.0 TLS not available\r\n", Result::deferred},
                                 std::pair{"502 5.5.1 not implemented\r\n", Result::refused},
                                 std::pair{"354 do something else\r\n", Result::refused}}) {
        CodecDriver d(base_config());
        d.reply(test::greeting);
        d.reply(test::pre_tls_ehlo);
        EXPECT_EQ(d.reply(reply), "QUIT\r\n<CLOSE>") << reply;
        EXPECT_EQ(d.outcome().result, result) << reply;
    }
}

// CC-03: no ESMTP and TLS needed: abort; without TLS, HELO is a fine fallback.
TEST(ClientCodec, EhloRefused) {
    CodecDriver tls(base_config());
    tls.reply(test::greeting);
    EXPECT_EQ(tls.reply("500 Syntax error, command unrecognized\r\n"), "QUIT\r\n<CLOSE>");
    ClientConfig plain = base_config();
    plain.security = Security::none;
    plain.auth = AuthMechanism::none;
    CodecDriver d(plain);
    d.reply(test::greeting);
    EXPECT_EQ(d.reply("500 Syntax error\r\n"), "HELO printer.local\r\n");
    EXPECT_EQ(d.reply("250 hi\r\n"), "MAIL FROM:<printer@contoso.com>\r\n");
}

// CC-04: the injected tail after 220 is dropped; EHLO goes out inside TLS and nothing else until a reply.
TEST(ClientCodec, ResponseInjectionAfter220IsDiscarded) {
    CodecDriver d(base_config());
    d.reply(test::greeting);
    d.reply(test::pre_tls_ehlo);
    const std::string tail = "250-evil.example\r\n250 AUTH PLAIN LOGIN\r\n";
    EXPECT_EQ(d.reply("220 Ready to start TLS\r\n" + tail), "<TLS>");
    EXPECT_EQ(d.codec().discarded_pre_tls_bytes(), tail.size());
    EXPECT_EQ(d.tls(), "EHLO printer.local\r\n");
    EXPECT_EQ(d.codec().waiting_for(), Wait::command);
    EXPECT_EQ(d.timeout(), "QUIT\r\n<CLOSE>");
    EXPECT_EQ(d.outcome().auth_used, "");
}

TEST(ClientCodec, QuirkReusePreTlsBufferUsesInjectedReply) {
    ClientConfig config = base_config();
    config.quirks.reuse_pre_tls_buffer = true;
    CodecDriver d(config);
    d.reply(test::greeting);
    d.reply(test::pre_tls_ehlo);
    d.reply("220 Ready to start TLS\r\n250-evil.example\r\n250 AUTH PLAIN LOGIN\r\n");
    EXPECT_EQ(d.tls(), "EHLO printer.local\r\nAUTH LOGIN\r\n");
}

// CC-05: PLAIN was offered before TLS only; the post-TLS list decides.
TEST(ClientCodec, PlainNotChosenWhenPostTlsListLacksIt) {
    ClientConfig config = base_config();
    config.auth = AuthMechanism::plain;
    CodecDriver d(config);
    d.reply(test::greeting);
    d.reply("250-mock\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN CRAM-MD5 SCRAM-SHA-256\r\n");
    d.reply("220 go\r\n");
    d.tls();
    EXPECT_EQ(d.reply("250-mock\r\n250 AUTH XOAUTH2 LOGIN\r\n"), "QUIT\r\n<CLOSE>");
    EXPECT_EQ(d.outcome().result, Result::refused);
}

TEST(ClientCodec, QuirkPlainBeforeLogin) {
    ClientConfig config = base_config();
    config.quirks.plain_before_login = true;
    CodecDriver d(config);
    EXPECT_EQ(d.up_to_auth().substr(0, 11), "AUTH PLAIN ");
}

TEST(ClientCodec, LegacyAuthEqualsFormCounts) {
    ClientConfig config = base_config();
    CodecDriver d(config);
    EXPECT_EQ(d.up_to_auth("250-mock\r\n250 AUTH=LOGIN PLAIN\r\n"), "AUTH LOGIN\r\n");
}

// CC-30: STARTTLS listed again after TLS is not sent again.
TEST(ClientCodec, StarttlsNotSentTwice) {
    CodecDriver d(base_config());
    EXPECT_EQ(d.up_to_auth("250-mock\r\n250-STARTTLS\r\n250 AUTH LOGIN\r\n"), "AUTH LOGIN\r\n");
}

// CC-07 with --quirk auth-before-tls: AUTH first, in plaintext, then STARTTLS.
TEST(ClientCodec, QuirkAuthBeforeTls) {
    ClientConfig config = base_config();
    config.quirks.auth_before_tls = true;
    CodecDriver d(config);
    d.reply(test::greeting);
    EXPECT_EQ(d.reply("250-mock\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN\r\n"), "AUTH LOGIN\r\n");
    d.reply("334 VXNlcm5hbWU6\r\n");
    d.reply("334 UGFzc3dvcmQ6\r\n");
    EXPECT_EQ(d.reply("235 ok\r\n"), "STARTTLS\r\n");
}

TEST(ClientCodec, QuirkNoEhloAfterTls) {
    ClientConfig config = base_config();
    config.quirks.no_ehlo_after_tls = true;
    CodecDriver d(config);
    d.reply(test::greeting);
    d.reply("250-mock\r\n250-STARTTLS\r\n250 AUTH LOGIN\r\n");
    d.reply("220 go\r\n");
    EXPECT_EQ(d.tls(), "AUTH LOGIN\r\n");
}

TEST(ClientCodec, XOAuth2InitialResponse) {
    ClientConfig config = base_config();
    config.auth = AuthMechanism::xoauth2;
    config.token = "tok";
    CodecDriver d(config);
    EXPECT_EQ(d.up_to_auth(), "AUTH XOAUTH2 " + base64_encode("user=printer@contoso.com\x01" "auth=Bearer tok\x01\x01") + "\r\n");
    EXPECT_EQ(d.reply("334 eyJzdGF0dXMiOiI0MDEifQ==\r\n"), "\r\n");
    EXPECT_EQ(d.reply("535 5.7.3 Authentication unsuccessful\r\n"), "QUIT\r\n<CLOSE>");
    EXPECT_EQ(d.outcome().result, Result::rejected);
}

// CC-28: an endless 334 is cancelled with "*" after the mechanism's own rounds.
TEST(ClientCodec, EndlessChallengesAreCancelled) {
    CodecDriver d(base_config());
    d.up_to_auth();
    d.reply("334 x\r\n");
    d.reply("334 x\r\n");
    EXPECT_EQ(d.reply("334 x\r\n"), "*\r\n");
    EXPECT_EQ(d.reply("501 cancelled\r\n"), "QUIT\r\n<CLOSE>");
}

// CC-11: 554 greeting gets QUIT and no MAIL; 421 ends without waiting.
TEST(ClientCodec, OddGreetings) {
    CodecDriver refused(base_config());
    EXPECT_EQ(refused.reply("554 No SMTP service here\r\n"), "QUIT\r\n<CLOSE>");
    EXPECT_EQ(refused.outcome().result, Result::rejected);
    CodecDriver busy(base_config());
    EXPECT_EQ(busy.reply("421 4.3.2 busy\r\n"), "<CLOSE>");
    EXPECT_EQ(busy.outcome().result, Result::deferred);
    CodecDriver multi(base_config());
    EXPECT_EQ(multi.reply("220-multi\r\n220 line\r\n"), "EHLO printer.local\r\n");
}

// CC-13: a malformed reply is a protocol error: QUIT, close, retry later.
TEST(ClientCodec, MalformedReplyIsProtocolError) {
    for (std::string bad : {"250 OK\n", "250-A\r\n251 B\r\n", "abc\r\n", "999 x\r\n", "2500 OK\r\n"}) {
        CodecDriver d(base_config());
        d.reply(test::greeting);
        EXPECT_EQ(d.reply(bad), "QUIT\r\n<CLOSE>") << bad;
        EXPECT_EQ(d.outcome().result, Result::deferred);
        EXPECT_NE(d.outcome().detail.find("protocol error"), std::string::npos);
    }
}

// CC-17: a reply that arrived with the previous one cannot answer a command not yet sent.
TEST(ClientCodec, PrematureReplyIsNotTakenForMail) {
    CodecDriver d(base_config());
    d.up_to_auth();
    d.reply("334 VXNlcm5hbWU6\r\n");
    d.reply("334 UGFzc3dvcmQ6\r\n");
    EXPECT_EQ(d.reply("235 2.7.0 ok\r\n250 2.1.0 early\r\n"), "MAIL FROM:<printer@contoso.com> SIZE=27\r\nQUIT\r\n<CLOSE>");
    EXPECT_EQ(d.outcome().result, Result::deferred);
}

TEST(ClientCodec, UnsolicitedShutdownIsTemporary) {
    CodecDriver d(base_config());
    d.up_to_auth();
    EXPECT_EQ(d.reply("421 4.3.2 Service shutting down\r\n"), "<CLOSE>");
    EXPECT_EQ(d.outcome().result, Result::deferred);
}

}  // namespace
}  // namespace exosim::client
