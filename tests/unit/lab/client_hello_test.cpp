#include "lab/client_hello.hpp"

#include <gtest/gtest.h>

#include <string>

namespace exosim::lab {
namespace {

using namespace std::string_literals;

std::string u16(std::uint16_t v) { return {static_cast<char>(v >> 8), static_cast<char>(v & 0xFF)}; }
std::string vec16(const std::string& body) { return u16(static_cast<std::uint16_t>(body.size())) + body; }
std::string ext(std::uint16_t type, const std::string& body) { return u16(type) + vec16(body); }

// A TLS 1.3-capable hello: GREASE cipher and extension, SNI, ALPN h2 + http/1.1, groups,
// point formats, signature algorithms, supported_versions.
std::string sample_hello(bool with_extensions = true) {
    std::string body = u16(0x0303) + std::string(32, 'r') + "\x00"s;
    body += vec16(u16(0x0A0A) + u16(0x1301) + u16(0xC02F) + u16(0x009C));
    body += "\x01\x00"s;
    if (with_extensions) {
        std::string exts;
        exts += ext(0x1A1A, "");
        exts += ext(0, vec16("\x00"s + vec16("smtp.office365.com")));
        exts += ext(16, vec16("\x02h2\x08http/1.1"s));
        exts += ext(10, vec16(u16(0x2A2A) + u16(29) + u16(23)));
        exts += ext(11, "\x01\x00"s);
        exts += ext(13, vec16(u16(0x0804) + u16(0x0403)));
        exts += ext(43, "\x06"s + u16(0x3A3A) + u16(0x0304) + u16(0x0303));
        body += vec16(exts);
    }
    std::string msg = "\x01"s + static_cast<char>(0) + u16(static_cast<std::uint16_t>(body.size())) + body;
    return msg;
}

TEST(ClientHello, ParsesEveryField) {
    auto h = parse_client_hello(sample_hello());
    ASSERT_TRUE(h);
    EXPECT_EQ(h->legacy_version, 0x0303);
    EXPECT_EQ(h->ciphers, (std::vector<std::uint16_t>{0x0A0A, 0x1301, 0xC02F, 0x009C}));
    EXPECT_EQ(h->extensions, (std::vector<std::uint16_t>{0x1A1A, 0, 16, 10, 11, 13, 43}));
    EXPECT_EQ(h->sni, "smtp.office365.com");
    EXPECT_EQ(h->alpn, (std::vector<std::string>{"h2", "http/1.1"}));
    EXPECT_EQ(h->groups, (std::vector<std::uint16_t>{0x2A2A, 29, 23}));
    EXPECT_EQ(h->point_formats, (std::vector<std::uint8_t>{0}));
    EXPECT_EQ(h->supported_versions, (std::vector<std::uint16_t>{0x3A3A, 0x0304, 0x0303}));
    EXPECT_EQ(highest_version(*h), 0x0304);
    EXPECT_EQ(version_name(highest_version(*h)), "TLSv1.3");
}

TEST(ClientHello, Ja3TextDropsGrease) {
    auto h = parse_client_hello(sample_hello());
    ASSERT_TRUE(h);
    EXPECT_EQ(ja3_text(*h), "771,4865-49199-156,0-16-10-11-13-43,29-23,0");
}

TEST(ClientHello, Ja4Parts) {
    auto h = parse_client_hello(sample_hello());
    ASSERT_TRUE(h);
    Ja4Parts p = ja4_parts(*h);
    EXPECT_EQ(p.a, "t13d0306h2");  // 3 ciphers, 6 extensions (GREASE out, SNI and ALPN counted)
    EXPECT_EQ(p.ciphers, "009c,1301,c02f");
    EXPECT_EQ(p.extensions, "000a,000b,000d,002b_0804,0403");
}

TEST(ClientHello, NoExtensionsTls10) {
    std::string msg = sample_hello(false);
    msg[4] = 0x03, msg[5] = 0x01;  // legacy_version TLS 1.0
    auto h = parse_client_hello(msg);
    ASSERT_TRUE(h);
    EXPECT_TRUE(h->extensions.empty());
    EXPECT_EQ(ja3_text(*h), "769,4865-49199-156,,,");
    EXPECT_EQ(ja4_parts(*h).a, "t10i030000");
}

TEST(ClientHello, RejectsEveryTruncation) {
    const std::string msg = sample_hello();
    for (std::size_t n = 0; n < msg.size(); ++n) {
        std::string cut = msg.substr(0, n);
        EXPECT_FALSE(parse_client_hello(cut)) << n;
    }
    EXPECT_FALSE(parse_client_hello("\x02" + msg.substr(1)));  // ServerHello type
}

TEST(ClientHello, AlpnNonAlphanumericUsesHex) {
    std::string msg = sample_hello();
    auto at = msg.find("\x02h2");
    msg[at + 2] = '\x01';  // "h\x01"
    auto h = parse_client_hello(msg);
    ASSERT_TRUE(h);
    EXPECT_EQ(ja4_parts(*h).a.substr(8), "61");  // first hex digit of 'h' (0x68)... last of 0x01
}

TEST(ClientHello, Grease) {
    for (std::uint16_t v : {0x0A0A, 0x1A1A, 0xFAFA}) EXPECT_TRUE(is_grease(v)) << v;
    for (std::uint16_t v : {0x0A1A, 0x0A0B, 0x1301, 0x0000}) EXPECT_FALSE(is_grease(v)) << v;
}

}  // namespace
}  // namespace exosim::lab
