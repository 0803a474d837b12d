// ClientCodec transactions: pipelining, SIZE, partial RCPT failures, 452 re-batching, DATA verdicts.
#include <gtest/gtest.h>

#include "client/codec_driver.hpp"
#include "reference/smtp_data.hpp"

namespace exosim::client {
namespace {

using test::CodecDriver;

ClientConfig plain_config(std::vector<std::string> recipients) {
    ClientConfig c = test::base_config();
    c.security = Security::none;
    c.auth = AuthMechanism::none;
    c.recipients = std::move(recipients);
    return c;
}

std::string count_of(const std::string& haystack, std::string_view needle, int* n) {
    *n = 0;
    for (std::size_t p = haystack.find(needle); p != std::string::npos; p = haystack.find(needle, p + 1)) ++*n;
    return haystack;
}

// RFC 2920: MAIL, RCPTs and DATA in one write; the body only after 354 (CC-18).
TEST(ClientTransaction, PipeliningGroupsCommandsAndWaitsFor354) {
    CodecDriver d(plain_config({"a@x.test", "b@x.test"}));
    d.reply(test::greeting);
    EXPECT_EQ(d.reply("250-mock\r\n250 PIPELINING\r\n"),
              "MAIL FROM:<printer@contoso.com>\r\nRCPT TO:<a@x.test>\r\nRCPT TO:<b@x.test>\r\nDATA\r\n");
    EXPECT_EQ(d.reply("250 2.1.0 ok\r\n250 2.1.5 ok\r\n"), "");
    EXPECT_EQ(d.reply("550 5.1.1 unknown\r\n354 go\r\n"), "Subject: Scan\r\n\r\nhello\r\n.\r\n");
    EXPECT_EQ(d.reply("250 2.0.0 queued\r\n"), "QUIT\r\n");
    EXPECT_EQ(d.outcome().accepted, std::vector<std::string>{"a@x.test"});
    EXPECT_EQ(d.outcome().rejected, std::vector<std::string>{"b@x.test"});
    EXPECT_EQ(d.outcome().result, Result::rejected);
}

TEST(ClientTransaction, NoPipeliningMeansOneCommandAtATime) {
    CodecDriver d(plain_config({"a@x.test"}));
    d.reply(test::greeting);
    EXPECT_EQ(d.reply("250-mock\r\n250 8BITMIME\r\n"), "MAIL FROM:<printer@contoso.com>\r\n");
}

TEST(ClientTransaction, QuirkPipelineUnadvertised) {
    ClientConfig config = plain_config({"a@x.test"});
    config.quirks.pipeline_unadvertised = true;
    CodecDriver d(config);
    d.reply(test::greeting);
    EXPECT_EQ(d.reply("250 mock\r\n"), "MAIL FROM:<printer@contoso.com>\r\nRCPT TO:<a@x.test>\r\nDATA\r\n");
}

// CC-25: refused locally, before MAIL.
TEST(ClientTransaction, SizeOverLimitIsRefusedLocally) {
    ClientConfig config = plain_config({"a@x.test"});
    config.message = std::string(5000, 'x');
    CodecDriver d(config);
    d.reply(test::greeting);
    EXPECT_EQ(d.reply("250-mock\r\n250 SIZE 1000\r\n"), "QUIT\r\n<CLOSE>");
    EXPECT_EQ(d.outcome().result, Result::refused);
}

// CC-16: the first digit decides; the 450 recipient is owed a retry, the others are delivered.
TEST(ClientTransaction, PartialTemporaryFailure) {
    CodecDriver d(plain_config({"a@x.test", "b@x.test", "c@x.test"}));
    d.reply(test::greeting);
    d.reply("250 mock\r\n");
    EXPECT_EQ(d.reply("299 fine\r\n"), "RCPT TO:<a@x.test>\r\n");
    d.reply("250 ok\r\n");
    d.reply("450 4.2.0 try later\r\n");
    EXPECT_EQ(d.reply("251 will forward\r\n"), "DATA\r\n");
    d.reply("354 go\r\n");
    EXPECT_EQ(d.reply("250 queued\r\n"), "QUIT\r\n");
    EXPECT_EQ(d.outcome().result, Result::deferred);
    EXPECT_EQ(d.outcome().accepted, (std::vector<std::string>{"a@x.test", "c@x.test"}));
    EXPECT_EQ(d.outcome().deferred, std::vector<std::string>{"b@x.test"});
}

// CC-19: every RCPT failed: no DATA.
TEST(ClientTransaction, AllRecipientsFailedSendsNoData) {
    CodecDriver d(plain_config({"a@x.test", "b@x.test"}));
    d.reply(test::greeting);
    d.reply("250 mock\r\n");
    d.reply("250 ok\r\n");
    d.reply("550 no\r\n");
    EXPECT_EQ(d.reply("550 no\r\n"), "QUIT\r\n");
    EXPECT_EQ(d.outcome().result, Result::rejected);
}

// CC-19: 452 beyond the server's limit: finish with those accepted, the rest in a new transaction.
TEST(ClientTransaction, TooManyRecipientsAreSentInANewTransaction) {
    std::vector<std::string> rcpts;
    for (int i = 0; i < 150; ++i) rcpts.push_back("r" + std::to_string(i) + "@x.test");
    CodecDriver d(plain_config(rcpts));
    d.reply(test::greeting);
    std::string first = d.reply("250-mock\r\n250 PIPELINING\r\n");
    int n = 0;
    count_of(first, "RCPT TO:", &n);
    EXPECT_EQ(n, 100);  // RFC 5321 4.5.3.1.8 batch
    std::string replies = "250 ok\r\n";
    for (int i = 0; i < 100; ++i) replies += i < 50 ? "250 ok\r\n" : "452 4.5.3 Too many recipients\r\n";
    EXPECT_EQ(d.reply(replies + "354 go\r\n"), "Subject: Scan\r\n\r\nhello\r\n.\r\n");
    std::string second = d.reply("250 queued\r\n");
    count_of(second, "RCPT TO:", &n);
    EXPECT_EQ(n, 100);
    EXPECT_EQ(second.find("RSET"), std::string::npos);
    EXPECT_EQ(second.find("RCPT TO:<r50@x.test>"), second.find("RCPT TO:"));
    replies = "250 ok\r\n";
    for (int i = 0; i < 100; ++i) replies += "250 ok\r\n";
    d.reply(replies + "354 go\r\n");
    EXPECT_EQ(d.reply("250 queued\r\n"), "QUIT\r\n");
    EXPECT_EQ(d.outcome().result, Result::delivered);
    EXPECT_EQ(d.outcome().accepted.size(), 150u);
}

// A server answering 452 to every recipient cannot keep the client looping.
TEST(ClientTransaction, All452EndsDeferred) {
    CodecDriver d(plain_config({"a@x.test"}));
    d.reply(test::greeting);
    d.reply("250 mock\r\n");
    d.reply("250 ok\r\n");
    EXPECT_EQ(d.reply("452 4.5.3 Too many recipients\r\n"), "QUIT\r\n");
    EXPECT_EQ(d.outcome().result, Result::deferred);
}

// CC-20: final verdicts after the dot.
TEST(ClientTransaction, FinalDataVerdicts) {
    for (auto [reply, result] : {std::pair{"554 5.6.0 content rejected\r\n", Result::rejected},
                                 std::pair{"451 4.3.0 temporary\r\n", Result::deferred}}) {
        CodecDriver d(plain_config({"a@x.test"}));
        d.reply(test::greeting);
        d.reply("250 mock\r\n");
        d.reply("250 ok\r\n");
        d.reply("250 ok\r\n");
        d.reply("354 go\r\n");
        EXPECT_EQ(d.reply(reply), "QUIT\r\n");
        EXPECT_EQ(d.outcome().result, result);
    }
}

// CC-21: lost after the final dot: temporary, so it is retried.
TEST(ClientTransaction, ConnectionLostAfterDotIsTemporary) {
    CodecDriver d(plain_config({"a@x.test"}));
    d.reply(test::greeting);
    d.reply("250 mock\r\n");
    d.reply("250 ok\r\n");
    d.reply("250 ok\r\n");
    d.reply("354 go\r\n");
    d.closed();
    EXPECT_EQ(d.outcome().result, Result::deferred);
    EXPECT_EQ(d.outcome().detail, "connection lost after end of data");
    EXPECT_EQ(d.outcome().deferred, std::vector<std::string>{"a@x.test"});
}

// CC-27: RSET answered 354 must not start a body.
TEST(ClientTransaction, OddRsetReplyStartsNoBody) {
    ClientConfig config = plain_config({"a@x.test", "b@x.test"});
    config.max_recipients_per_transaction = 1;
    CodecDriver d(config);
    d.reply(test::greeting);
    d.reply("250 mock\r\n");
    d.reply("250 ok\r\n");
    EXPECT_EQ(d.reply("550 no\r\n"), "RSET\r\n");
    EXPECT_EQ(d.reply("354 Start mail input\r\n"), "QUIT\r\n<CLOSE>");
}

// CC-13: a malformed reply to a pipelined MAIL ends the session while DATA is unanswered. The
// server may already have said 354 and be reading message text: a QUIT would land inside the
// message and a lone "." would deliver an empty one, so the client writes nothing more and
// closes, which aborts the transaction (RFC 5321 3.8).
TEST(ClientTransaction, BrokenReplyWithPipelinedDataPendingClosesWithoutQuit) {
    CodecDriver d(plain_config({"a@x.test"}));
    d.reply(test::greeting);
    EXPECT_EQ(d.reply("250-mock\r\n250 PIPELINING\r\n"), "MAIL FROM:<printer@contoso.com>\r\nRCPT TO:<a@x.test>\r\nDATA\r\n");
    EXPECT_EQ(d.reply("250 OK\n250 2.1.5 ok\r\n354 go\r\n"), "<CLOSE>");
    EXPECT_EQ(d.outcome().result, Result::deferred);
    EXPECT_EQ(d.outcome().detail.rfind("protocol error", 0), 0u) << d.outcome().detail;
    // Timing out on DATA's reply: the same.
    CodecDriver t(plain_config({"a@x.test"}));
    t.reply(test::greeting);
    t.reply("250-mock\r\n250 PIPELINING\r\n");
    t.reply("250 ok\r\n250 ok\r\n");
    EXPECT_EQ(t.timeout(), "<CLOSE>");
}

// RFC 2920 3.1: DATA accepted (354) although MAIL failed: a single "." ends the empty message,
// then QUIT once its reply is in; never QUIT inside the data phase.
TEST(ClientTransaction, Unwanted354IsEndedWithADotThenQuit) {
    CodecDriver d(plain_config({"a@x.test"}));
    d.reply(test::greeting);
    d.reply("250-mock\r\n250 PIPELINING\r\n");
    EXPECT_EQ(d.reply("451 4.3.2 later\r\n503 5.5.1 bad sequence\r\n354 go\r\n"), ".\r\n");
    EXPECT_EQ(d.reply("503 5.5.1 no transaction\r\n"), "QUIT\r\n");
    EXPECT_EQ(d.outcome().result, Result::deferred);
    // Every RCPT refused, DATA still 354: the same.
    CodecDriver r(plain_config({"a@x.test"}));
    r.reply(test::greeting);
    r.reply("250-mock\r\n250 PIPELINING\r\n");
    EXPECT_EQ(r.reply("250 ok\r\n550 5.1.1 unknown\r\n354 go\r\n"), ".\r\n");
    EXPECT_EQ(r.reply("554 5.5.1 no valid recipients\r\n"), "QUIT\r\n");
    EXPECT_EQ(r.outcome().result, Result::rejected);
}

// A broken reply with no DATA outstanding still says goodbye: QUIT is a courtesy there.
TEST(ClientTransaction, BrokenReplyWithoutDataPendingSendsQuit) {
    CodecDriver d(plain_config({"a@x.test"}));
    d.reply(test::greeting);
    d.reply("250 mock\r\n");
    EXPECT_EQ(d.reply("250 OK\n"), "QUIT\r\n<CLOSE>");
}

TEST(ClientTransaction, QuirkNoQuit) {
    ClientConfig config = plain_config({"a@x.test"});
    config.quirks.no_quit = true;
    CodecDriver d(config);
    d.reply(test::greeting);
    d.reply("250 mock\r\n");
    d.reply("250 ok\r\n");
    d.reply("250 ok\r\n");
    d.reply("354 go\r\n");
    EXPECT_EQ(d.reply("250 ok\r\n"), "<CLOSE>");
}

// CC-23 on the wire: dot-stuffing, CRLF everywhere, one end-of-data.
TEST(SmtpData, DotStuffingAndLineEndings) {
    EXPECT_EQ(encode_data("a\r\n.\r\n.x\r\n..\r\nb\nc\rd"), "a\r\n..\r\n..x\r\n...\r\nb\r\nc\r\nd\r\n.\r\n");
    EXPECT_EQ(encode_data(".\n.\r\n"), "..\r\n..\r\n.\r\n");
    EXPECT_EQ(encode_data(""), ".\r\n");
    EXPECT_EQ(encode_data("x\r\n"), "x\r\n.\r\n");
}

TEST(SmtpData, Quirks) {
    EXPECT_EQ(encode_data(".a\r\nb", {false, false}), ".a\r\nb\r\n.\r\n");
    EXPECT_EQ(encode_data(".a\r\nb", {true, true}), "..a\nb\n.\n");
}

}  // namespace
}  // namespace exosim::client
