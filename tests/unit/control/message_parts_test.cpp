#include "control/message_parts.hpp"

#include <gtest/gtest.h>

#include "scenario/mime_entity.hpp"

namespace exosim::control {
namespace {

constexpr std::string_view multipart =
    "From: printer@contoso.com\r\n"
    "To: alice@contoso.com\r\n"
    "Subject: Scan\r\n"
    " continued\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
    "\r\n"
    "preamble\r\n"
    "--b1\r\n"
    "Content-Type: multipart/alternative; boundary=b2\r\n"
    "\r\n"
    "--b2\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "Hello =C3=A9=\r\n"
    "t=C3=A9\r\n"
    "--b2\r\n"
    "Content-Type: text/html\r\n"
    "\r\n"
    "<p>Hello</p>\r\n"
    "--b2--\r\n"
    "--b1\r\n"
    "Content-Type: application/pdf; name=\"scan.pdf\"\r\n"
    "Content-Disposition: attachment; filename=\"scan.pdf\"\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "aGVsbG8g\r\n"
    "d29ybGQ=\r\n"
    "--b1--\r\n"
    "epilogue\r\n";

TEST(MessageParts, WalksNestedMultiparts) {
    MessageParts p = parse_message_parts(multipart);
    ASSERT_EQ(p.headers.size(), 5u);
    EXPECT_EQ(p.headers[2].name, "Subject");
    EXPECT_EQ(p.headers[2].value, "Scan continued");
    ASSERT_TRUE(p.text);
    EXPECT_EQ(*p.text, "Hello \xC3\xA9t\xC3\xA9");
    ASSERT_TRUE(p.html);
    EXPECT_EQ(*p.html, "<p>Hello</p>");
    ASSERT_EQ(p.parts.size(), 3u);
    const MessagePart& pdf = p.parts[2];
    EXPECT_TRUE(pdf.attachment());
    EXPECT_EQ(pdf.content_type, "application/pdf");
    EXPECT_EQ(*pdf.filename, "scan.pdf");
    EXPECT_EQ(pdf.size, 11u);  // "hello world"
    EXPECT_EQ(pdf.sha256, "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
    EXPECT_FALSE(p.parts[0].attachment());
}

TEST(MessageParts, SinglePartPlainMessage) {
    MessageParts p = parse_message_parts("Subject: x\r\n\r\nbody line\r\n");
    ASSERT_TRUE(p.text);
    EXPECT_EQ(*p.text, "body line\r\n");
    ASSERT_EQ(p.parts.size(), 1u);
    EXPECT_EQ(p.parts[0].content_type, "text/plain");
}

TEST(MessageParts, MalformedMimeYieldsNoPartsAndNoCrash) {
    MessageParts p = parse_message_parts("Content-Type: multipart/mixed\r\n\r\n--x\r\n");  // no boundary=
    EXPECT_TRUE(p.parts.empty());
    MessageParts q = parse_message_parts("Content-Type: multipart/mixed; boundary=x\r\n\r\n--x");  // truncated
    EXPECT_TRUE(q.parts.empty());
    EXPECT_NO_THROW(parse_message_parts(""));
}

TEST(MessageParts, NestingIsBounded) {
    std::string m;
    for (int i = 0; i < 50; ++i) m += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\r\n\r\n--b" + std::to_string(i) + "\r\n";
    m += "\r\nleaf\r\n";
    EXPECT_NO_THROW(parse_message_parts(m));
}

// A part whose body opens with a bare LF before its delimiter ("\n--b4") once made
// multipart_parts find the same delimiter at offset 0 forever (libFuzzer: timeout, then bad_alloc).
TEST(MessageParts, BodyOpeningWithLfBeforeDelimiterTerminates) {
    MessageParts p = parse_message_parts(
        "Content-Type: multipart/mixed; boundary=b\r\n\n\n--b\r\nContent-Type: text/plain\r\n\r\nleaf\r\n--b--\r\n");
    ASSERT_EQ(p.parts.size(), 1u);
    ASSERT_TRUE(p.text);
    EXPECT_EQ(*p.text, "leaf");
}

struct PartsRow {
    std::string_view body;
    std::vector<std::string_view> parts;
};

TEST(MultipartParts, Table) {
    const PartsRow rows[] = {
        {"--b\r\nA\r\n--b\r\nB\r\n--b--\r\n", {"A", "B"}},
        {"preamble\r\n--b\r\nA\r\n--b--", {"A"}},
        {"\n--b\r\nA\r\n--b--", {"A"}},           // LF before the first delimiter
        {"\n--b\n\n--b\n--b--", {"", ""}},          // empty parts still advance
        {"--b\r\n--b\r\n--b--", {"", ""}},
        {"--b--\r\n--b\r\nA", {}},                 // close delimiter first
        {"--b", {}},                                  // no line end after the delimiter
        {"--b\r\nA", {"A"}},                         // no close delimiter: the rest is the part
        {"no delimiter at all", {}},
        {"", {}},
    };
    for (const PartsRow& row : rows) {
        const auto got = scenario::multipart_parts(row.body, "b");
        EXPECT_EQ(got, row.parts) << row.body;
    }
}

TEST(TransferEncoding, Decodes) {
    EXPECT_EQ(decode_transfer_encoding("quoted-printable", "a=3Db=\r\nc=zz"), "a=bc=zz");
    EXPECT_EQ(decode_transfer_encoding("base64", "aGk=\r\n"), "hi");
    EXPECT_EQ(decode_transfer_encoding("7bit", "x"), "x");
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

// A stored message cut short at every byte (a capture that ended mid-write): never an error,
// never a decoded size above what is there; the whole message keeps its three leaves.
TEST(MessageParts, CutAtEveryByteStaysBounded) {
    ASSERT_EQ(parse_message_parts(multipart).parts.size(), 3u);
    for (std::size_t cut = 0; cut < multipart.size(); ++cut) {
        const std::string_view part = multipart.substr(0, cut);
        const MessageParts p = parse_message_parts(part);
        for (const MessagePart& leaf : p.parts) EXPECT_LE(leaf.size, cut) << cut;
        EXPECT_TRUE(!p.text || p.text->size() <= cut) << cut;
        EXPECT_LE(p.parts.size(), 3u) << cut;
    }
}

}  // namespace
}  // namespace exosim::control
