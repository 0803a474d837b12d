// Message content rules: RFC 5322 headers, attachment, Message-ID across retries.
#include "core/base64.hpp"
#include "verdict_trace_builder.hpp"

namespace exosim::scenario {
namespace {

using test::quoted;
using test::rule;
using test::scenario;
using test::TraceBuilder;

TEST(VerdictMessage, Rfc5322Headers) {
    const std::string bad = "Date: Mon, 6 Jan 2025 10:00:00 +0000\r\nDate: Tue, 7 Jan 2025 10:00:00 +0000\r\nFrom: nobody\r\n\r\nx\r\n.\r\n";
    const Findings f = judge(scenario(), TraceBuilder().good(bad));
    EXPECT_RULE(f, "rfc5322-headers", fail);
    const Finding& r = rule(f, "rfc5322-headers");
    EXPECT_EQ(r.message, "date appears 2 times; message-id appears 0 times; From has no address");
    EXPECT_TRUE(quoted(r, "From: nobody"));
    EXPECT_RULE(judge(scenario(), TraceBuilder().good()), "rfc5322-headers", pass);
}

TEST(VerdictMessage, FoldedHeadersAreUnfolded) {
    const std::string body = "Date: Mon, 6 Jan 2025\r\n 10:00:00 +0000\r\nFrom: \"A, B\"\r\n <a@b.c>\r\nMessage-ID: <1@c>\r\n\r\nx\r\n.\r\n";
    EXPECT_RULE(judge(scenario(), TraceBuilder().good(body)), "rfc5322-headers", pass);
}

std::string mime(const std::string& name, const std::string& content) {
    std::string b64 = core::base64_encode(content);
    std::string folded;
    for (std::size_t i = 0; i < b64.size(); i += 76) folded += b64.substr(i, 76) + "\r\n";
    return "Date: Mon, 6 Jan 2025 10:00:00 +0000\r\nFrom: <a@b.c>\r\nMessage-ID: <1@c>\r\nMIME-Version: 1.0\r\n"
           "Content-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n--XX\r\nContent-Type: text/plain\r\n\r\nscan attached\r\n"
           "--XX\r\nContent-Type: application/pdf; name=\"" + name + "\"\r\nContent-Disposition: attachment; filename=\"" + name +
           "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + folded + "--XX--\r\n.\r\n";
}

TEST(VerdictMessage, AttachmentIntact) {
    const std::string pdf = "%PDF-1.4\n" + std::string(300, '\x01') + "\n%%EOF\n";
    Scenario s = scenario();
    s.send.attachment = "generated:pdf";
    JudgeOptions o;
    o.attachment = [&](const std::string& a) -> std::optional<ExpectedAttachment> {
        EXPECT_EQ(a, "generated:pdf");
        return ExpectedAttachment{"scan.pdf", pdf};
    };
    EXPECT_RULE(judge(s, TraceBuilder().good(mime("scan.pdf", pdf)), o), "attachment-intact", pass);
    std::string damaged = pdf;
    damaged[100] = 'X';
    const Findings f = judge(s, TraceBuilder().good(mime("scan.pdf", damaged)), o);
    EXPECT_RULE(f, "attachment-intact", fail);
    EXPECT_NE(rule(f, "attachment-intact").message.find("first difference at offset 100"), std::string::npos);
    EXPECT_TRUE(quoted(rule(f, "attachment-intact"), "<message,"));
    EXPECT_RULE(judge(s, TraceBuilder().good(mime("other.pdf", pdf)), o), "attachment-intact", fail);
    EXPECT_RULE(judge(s, TraceBuilder().good(mime("scan.pdf", pdf))), "attachment-intact", skipped);  // no bytes to compare
}

TEST(VerdictMessage, SameMessageIdOnRetry) {
    // CC-21: the server drops the connection after the dot; the retry must reuse the Message-ID.
    auto run = [](std::string second_id) {
        TraceBuilder b;
        b.up_to_tls_ehlo().auth_login().message(test::good_body("<1@client>"), "").server_closed();
        b.next_connection().up_to_tls_ehlo().auth_login().message(test::good_body(second_id)).quit();
        Scenario s = scenario();
        s.expect.max_attempts = 3;
        return judge(s, b);
    };
    EXPECT_RULE(run("<1@client>"), "same-message-id-on-retry", pass);
    const Findings f = run("<2@client>");
    EXPECT_RULE(f, "same-message-id-on-retry", fail);
    EXPECT_TRUE(quoted(rule(f, "same-message-id-on-retry"), "#2 C"));
    EXPECT_TRUE(quoted(rule(f, "same-message-id-on-retry"), "Message-ID: <2@client>"));
    EXPECT_RULE(judge(scenario(), TraceBuilder().good()), "same-message-id-on-retry", skipped);
}

}  // namespace
}  // namespace exosim::scenario
