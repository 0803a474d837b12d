// MIME builder: structure, CRLF, line lengths, header injection (CC-24), Date format.
#include "reference/mime.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "reference/capabilities.hpp"
#include "reference/mime_encoding.hpp"

namespace exosim::client {
namespace {

MailContent scan_mail() {
    MailContent m;
    m.from = "printer@contoso.com";
    m.to = {"alice@contoso.com"};
    m.cc = {"bob@contoso.com"};
    m.subject = "Scan";
    m.body = "Scanned document.\nPage 1";
    m.attachments = {{"scan.pdf", std::string("%PDF-1.4\n\x00\xff binary", 18)}};
    m.message_id = "<abc@contoso.com>";
    m.boundary = "=_exosim_test";
    m.date = 1751364000;  // 2025-07-01 10:00:00 UTC
    return m;
}

bool every_line_crlf_and_short(const std::string& s) {
    std::size_t start = 0;
    while (start < s.size()) {
        std::size_t lf = s.find('\n', start);
        if (lf == std::string::npos || lf == start || s[lf - 1] != '\r') return false;
        if (s.find('\r', start) < lf - 1) return false;
        if (lf + 1 - start > 1000) return false;
        start = lf + 1;
    }
    return true;
}

TEST(Mime, MultipartStructure) {
    std::string msg = build_message(scan_mail());
    EXPECT_TRUE(msg.starts_with("From: printer@contoso.com\r\nTo: alice@contoso.com\r\nCc: bob@contoso.com\r\n"));
    EXPECT_NE(msg.find("Subject: Scan\r\n"), std::string::npos);
    EXPECT_NE(msg.find("Date: Tue, 01 Jul 2025 10:00:00 +0000\r\n"), std::string::npos);
    EXPECT_NE(msg.find("Message-ID: <abc@contoso.com>\r\n"), std::string::npos);
    EXPECT_NE(msg.find("MIME-Version: 1.0\r\n"), std::string::npos);
    EXPECT_NE(msg.find("Content-Type: multipart/mixed; boundary=\"=_exosim_test\"\r\n"), std::string::npos);
    EXPECT_NE(msg.find("\r\n--=_exosim_test\r\nContent-Type: text/plain; charset=us-ascii\r\n"
                       "Content-Transfer-Encoding: 7bit\r\n\r\nScanned document.\r\nPage 1\r\n"),
              std::string::npos);
    EXPECT_NE(msg.find("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"scan.pdf\"\r\n"
                       "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQKAP8gYmluYXJ5\r\n"),
              std::string::npos);
    EXPECT_TRUE(msg.ends_with("\r\n--=_exosim_test--\r\n"));
    EXPECT_EQ(msg.find("Bcc"), std::string::npos);
    EXPECT_TRUE(every_line_crlf_and_short(msg));
}

TEST(Mime, Base64LinesAreWrappedAt76) {
    MailContent m = scan_mail();
    m.attachments = {{"big.tif", std::string(10000, '\x7f')}};
    std::string msg = build_message(m);
    EXPECT_NE(msg.find("Content-Type: image/tiff\r\n"), std::string::npos);
    std::size_t body = msg.find("base64\r\n\r\n") + 10;
    EXPECT_EQ(msg.find("\r\n", body) - body, 76u);
}

// CC-23: a 2000-character line and 8-bit text are encoded, never sent as they are.
TEST(Mime, LongOrEightBitBodyIsQuotedPrintable) {
    MailContent m = scan_mail();
    m.attachments.clear();
    m.body = std::string(2000, 'a') + "\n\xc3\xa9t\xc3\xa9 \n.\n";
    std::string msg = build_message(m);
    EXPECT_NE(msg.find("Content-Transfer-Encoding: quoted-printable\r\n"), std::string::npos);
    EXPECT_NE(msg.find("=C3=A9t=C3=A9=20\r\n"), std::string::npos);
    EXPECT_TRUE(every_line_crlf_and_short(msg));
    std::size_t start = msg.find("\r\n\r\n") + 4;
    for (std::size_t lf = msg.find("\r\n", start); lf != std::string::npos; start = lf + 2, lf = msg.find("\r\n", start))
        EXPECT_LE(lf - start, 76u);
}

TEST(Mime, NonAsciiSubjectIsAnEncodedWord) {
    EXPECT_EQ(encode_header_text("Scan"), "Scan");
    EXPECT_EQ(encode_header_text("Caf\xc3\xa9"), "=?UTF-8?B?Q2Fmw6k=?=");
    std::string long_subject;
    for (int i = 0; i < 40; ++i) long_subject += "\xc3\xa9";
    std::string encoded = encode_header_text(long_subject);
    EXPECT_NE(encoded.find("?=\r\n =?UTF-8?B?"), std::string::npos);
    for (std::size_t pos = 0, end; pos < encoded.size(); pos = end + 3) {
        end = encoded.find("\r\n ", pos);
        if (end == std::string::npos) end = encoded.size();
        EXPECT_LE(end - pos, 75u);
    }
}

// CC-24: CR or LF in any field, or a recipient that could smuggle a command, is refused.
TEST(Mime, HeaderInjectionIsRefused) {
    MailContent m = scan_mail();
    m.subject = "hi\r\nBcc: evil@x";
    EXPECT_THROW(build_message(m), MimeError);
    m = scan_mail();
    m.to = {"a@b>\r\nRCPT TO:<evil@x"};
    EXPECT_THROW(build_message(m), MimeError);
    m = scan_mail();
    m.from = "printer@contoso.com\r\n.\r\n";
    EXPECT_THROW(build_message(m), MimeError);
    m = scan_mail();
    m.attachments[0].filename = "a\nb.pdf";
    EXPECT_THROW(build_message(m), MimeError);
    EXPECT_FALSE(valid_mailbox("a@b>\r\nRCPT TO:<evil@x"));
    EXPECT_FALSE(valid_mailbox("no-at-sign"));
    EXPECT_FALSE(valid_mailbox("a b@c"));
    EXPECT_TRUE(valid_mailbox("printer+scan@contoso.com"));
}

TEST(Mime, DateFormat) {
    EXPECT_EQ(rfc5322_date(0), "Thu, 01 Jan 1970 00:00:00 +0000");
    std::regex rfc5322(R"((Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d \+0000)");
    EXPECT_TRUE(std::regex_match(rfc5322_date(std::time(nullptr)), rfc5322));
}

TEST(Mime, ContentTypes) {
    EXPECT_EQ(content_type_for("scan.PDF"), "application/pdf");
    EXPECT_EQ(content_type_for("a.jpg"), "image/jpeg");
    EXPECT_EQ(content_type_for("a.png"), "image/png");
    EXPECT_EQ(content_type_for("a.tif"), "image/tiff");
    EXPECT_EQ(content_type_for("a.txt"), "text/plain");
    EXPECT_EQ(content_type_for("a.bin"), "application/octet-stream");
    EXPECT_EQ(content_type_for("README"), "application/octet-stream");
}

TEST(Mime, MessageIdUsesTheSendersDomain) {
    std::string id = new_message_id("printer@contoso.com");
    EXPECT_TRUE(std::regex_match(id, std::regex("<[0-9a-f]{32}@contoso\\.com>")));
    EXPECT_NE(id, new_message_id("printer@contoso.com"));
}

TEST(Mime, QuotedPrintableSoftBreaks) {
    std::string qp = quoted_printable(std::string(100, 'a'));
    EXPECT_EQ(qp, std::string(75, 'a') + "=\r\n" + std::string(25, 'a'));
    EXPECT_EQ(quoted_printable("a=b \r\nc"), "a=3Db=20\r\nc");
}

TEST(Capabilities, WholeTokensCaseInsensitive) {
    core::Reply r;
    r.code = 250;
    r.lines = {"mock", "XSTARTTLS", "starttls", "AUTH=LOGIN PLAIN", "SIZE", "auth xoauth2"};
    Capabilities caps = Capabilities::from_ehlo(r);
    EXPECT_TRUE(caps.has("STARTTLS"));
    EXPECT_FALSE(caps.has("START"));
    EXPECT_TRUE(caps.offers_auth("login"));
    EXPECT_TRUE(caps.offers_auth("PLAIN"));
    EXPECT_TRUE(caps.offers_auth("XOAUTH2"));
    EXPECT_FALSE(caps.offers_auth("CRAM-MD5"));
    EXPECT_TRUE(caps.has("SIZE"));
    EXPECT_EQ(caps.max_size(), 0u);
}

}  // namespace
}  // namespace exosim::client
