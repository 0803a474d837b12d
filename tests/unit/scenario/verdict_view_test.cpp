// client_view: commands vs. body vs. SASL lines, reply matching, read boundaries, TLS resets.
#include "scenario/client_view.hpp"
#include "scenario/transcript_text.hpp"
#include "verdict_trace_builder.hpp"

namespace exosim::scenario {
namespace {

using test::TraceBuilder;

ClientView view(const Trace& t) { return read_client_view(t.connections.front()); }

std::vector<std::string> verbs(const ClientView& v) {
    std::vector<std::string> out;
    for (const ClientLine& l : v.lines) out.push_back(l.kind == ClientLine::Kind::command ? l.word : "<sasl>");
    return out;
}

TEST(VerdictView, BodyLinesAreNotCommandsAndSaslLinesAreNot) {
    const ClientView v = view(TraceBuilder().good("Subject: x\r\n\r\nQUIT\r\nMAIL FROM:<x@y>\r\n.\r\n"));
    EXPECT_EQ(verbs(v), (std::vector<std::string>{"EHLO", "STARTTLS", "EHLO", "AUTH", "<sasl>", "<sasl>", "MAIL", "RCPT", "DATA", "QUIT"}));
    ASSERT_EQ(v.bodies.size(), 1u);
    EXPECT_TRUE(v.bodies[0].terminated);
    EXPECT_EQ(v.bodies[0].raw, "Subject: x\r\n\r\nQUIT\r\nMAIL FROM:<x@y>\r\n.\r\n");
    ASSERT_TRUE(v.bodies[0].reply);
    EXPECT_EQ(v.replies[*v.bodies[0].reply].code, 250);
}

TEST(VerdictView, BodySplitAcrossReadsAndTerminatorAcrossReads) {
    const ClientView v = view(TraceBuilder().S("220 x\r\n").C("EHLO a\r\n").S("250 x\r\n").C("MAIL FROM:<a@b>\r\n").S("250 ok\r\n")
                                  .C("RCPT TO:<c@d>\r\n").S("250 ok\r\n").C("DATA\r\n").S("354 go\r\n").C("a\r\nb\r").C("\n.").C("\r\nQUIT\r\n"));
    ASSERT_EQ(v.bodies.size(), 1u);
    EXPECT_EQ(v.bodies[0].raw, "a\r\nb\r\n.\r\n");
    EXPECT_EQ(v.lines.back().word, "QUIT");
    EXPECT_TRUE(v.lines.back().pipelined);  // sent before the reply to the dot
}

TEST(VerdictView, PipelinedBodyWaitsForTheDataReply) {
    const ClientView v = view(TraceBuilder().S("220 x\r\n").C("EHLO a\r\n").S("250-x\r\n250 PIPELINING\r\n")
                                  .C("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\nhello\r\n.\r\n")
                                  .S("250 ok\r\n250 ok\r\n354 go\r\n250 queued\r\n"));
    EXPECT_EQ(verbs(v), (std::vector<std::string>{"EHLO", "MAIL", "RCPT", "DATA"}));
    ASSERT_EQ(v.bodies.size(), 1u);
    EXPECT_TRUE(v.bodies[0].before_354);
    EXPECT_TRUE(v.lines[2].pipelined);
    EXPECT_TRUE(v.lines[2].same_read);
}

TEST(VerdictView, BytesAfterRejectedDataAreCommands) {
    const ClientView v = view(TraceBuilder().S("220 x\r\n").C("DATA\r\nSubject: x\r\n").S("554 no valid recipients\r\n"));
    EXPECT_EQ(verbs(v), (std::vector<std::string>{"DATA", "SUBJECT:"}));
    EXPECT_TRUE(v.bodies.empty());
}

TEST(VerdictView, BdatChunksAreBody) {
    const ClientView v = view(TraceBuilder().S("220 x\r\n").C("BDAT 5\r\nab\r\nQBDAT 3 LAST\r\nxyz").S("250 ok\r\n250 queued\r\n"));
    EXPECT_EQ(verbs(v), (std::vector<std::string>{"BDAT", "BDAT"}));
    ASSERT_EQ(v.bodies.size(), 1u);
    EXPECT_EQ(v.bodies[0].raw, "ab\r\nQxyz");
    EXPECT_TRUE(v.bodies[0].terminated);
    ASSERT_TRUE(v.bodies[0].reply);
}

TEST(VerdictView, InjectedRepliesBeforeTlsAreUnsolicitedAndPartialBytesDropped) {
    const ClientView v = view(TraceBuilder().S("220 x\r\n").C("EHLO a\r\n").S("250 STARTTLS\r\n").C("STARTTLS\r\n")
                                  .S("220 go\r\n250-evil\r\n250 AUTH PLAIN\r\n250-XOAUTH2 PLAIN").tls().C("EHLO a\r\n").S("250 ok\r\n"));
    ASSERT_EQ(v.replies.size(), 6u);
    EXPECT_TRUE(v.replies[3].unsolicited);
    EXPECT_FALSE(v.replies[4].terminated);
    EXPECT_EQ(v.replies[5].code, 250);
    EXPECT_TRUE(v.replies[5].tls);
    EXPECT_EQ(v.replies[5].answers, std::optional<std::size_t>(2));
}

TEST(VerdictView, PlaintextPipelinedAfterStarttlsIsDiscarded) {
    const ClientView v = view(TraceBuilder().S("220 x\r\n").C("STARTTLS\r\nAUTH PLAIN AGEAYg==\r\n").S("220 go\r\n").tls());
    ASSERT_EQ(v.lines.size(), 2u);
    EXPECT_TRUE(v.lines[1].discarded);
    EXPECT_FALSE(v.lines[1].tls);
}

TEST(VerdictView, MalformedRepliesStaySeparate) {
    const ClientView v = view(TraceBuilder().S("abc\r\n250-A\r\n251 B\r\n250 OK\n"));
    ASSERT_EQ(v.replies.size(), 3u);
    EXPECT_FALSE(v.replies[0].well_formed);
    EXPECT_FALSE(v.replies[1].well_formed);
    EXPECT_FALSE(v.replies[2].well_formed);  // bare LF
}

TEST(VerdictView, TranscriptMarksSameReadAndRedactsSecrets) {
    const Trace t = TraceBuilder().S("220 x\r\n").C("EHLO a\r\nAUTH PLAIN AGEAc2VjcmV0\r\n").S("250 ok\r\n235 ok\r\n");
    const std::string text = transcript_text(build_transcript(t.connections[0], view(t)));
    EXPECT_NE(text.find("C: EHLO a"), std::string::npos) << text;
    EXPECT_NE(text.find(".. AUTH PLAIN <initial response, 12 octets>"), std::string::npos) << text;
    EXPECT_EQ(text.find("AGEAc2VjcmV0"), std::string::npos) << text;
    EXPECT_NE(text.find(".. 235 ok"), std::string::npos) << text;
}

// The client's bytes of a whole session cut into two reads at every position: the commands, SASL
// lines and the body read back the same (only the read bookkeeping may differ).
TEST(VerdictView, SameLinesAndBodyForEverySplitOfTheClientBytes) {
    const std::string client = "EHLO a\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n";
    const std::string body = "Subject: x\r\n\r\nQUIT\r\n.\r\n";
    const auto run = [&](std::size_t cut) {
        TraceBuilder b;
        b.S("220 x\r\n");
        const std::string all = client + body;
        if (cut > 0) b.C(all.substr(0, cut));
        if (cut < all.size()) b.C(all.substr(cut));
        return view(b.S("250-x\r\n250 PIPELINING\r\n250 ok\r\n250 ok\r\n354 go\r\n250 queued\r\n"));
    };
    const ClientView whole = run(0);
    ASSERT_EQ(verbs(whole), (std::vector<std::string>{"EHLO", "MAIL", "RCPT", "DATA"}));
    ASSERT_EQ(whole.bodies.size(), 1u);
    for (std::size_t cut = 1; cut < client.size() + body.size(); ++cut) {
        const ClientView v = run(cut);
        EXPECT_EQ(verbs(v), verbs(whole)) << cut;
        ASSERT_EQ(v.bodies.size(), 1u) << cut;
        EXPECT_EQ(v.bodies[0].raw, whole.bodies[0].raw) << cut;
        EXPECT_TRUE(v.bodies[0].terminated) << cut;
        for (std::size_t i = 0; i < v.lines.size(); ++i) EXPECT_EQ(v.lines[i].text, whole.lines[i].text) << cut;
    }
}

}  // namespace
}  // namespace exosim::scenario
