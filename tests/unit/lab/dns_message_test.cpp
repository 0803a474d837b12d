#include "lab/dns_message.hpp"

#include <gtest/gtest.h>

#include <string>

namespace exosim::lab::dns {
namespace {

using namespace std::string_literals;

// Header: id 0x1234, RD, one question.
const std::string header = "\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"s;

struct Case {
    const char* label;
    std::string bytes;
    std::optional<ParseError> error;  // nullopt: parses
    std::string name;
    std::uint16_t qtype = 0;
};

TEST(DnsMessage, ParseTable) {
    const std::string smtp = "\x04smtp\x09office365\x03" "com\x00"s;
    const std::string a_in = "\x00\x01\x00\x01"s;
    const Case cases[] = {
        {"A query", header + smtp + a_in, std::nullopt, "smtp.office365.com", 1},
        {"mixed case kept", header + "\x04SMTP\x09Office365\x03" "COM\x00"s + a_in, std::nullopt, "SMTP.Office365.COM", 1},
        {"root name", header + "\x00\x00\x02\x00\x01"s, std::nullopt, "", 2},
        {"EDNS additional ignored", header.substr(0, 10) + "\x00\x01"s + smtp + a_in + "\x00\x00\x29\x10\x00\x00\x00\x00\x00\x00\x00"s,
         std::nullopt, "smtp.office365.com", 1},
        {"11 octets", header.substr(0, 11), ParseError::short_header, "", 0},
        {"response", "\x12\x34\x81\x00"s + header.substr(4) + smtp + a_in, ParseError::not_a_query, "", 0},
        {"no question", "\x12\x34\x01\x00\x00\x00"s + header.substr(6), ParseError::question_count, "", 0},
        {"two questions", "\x12\x34\x01\x00\x00\x02"s + header.substr(6) + smtp + a_in + smtp + a_in, ParseError::question_count, "", 0},
        {"name without end", header + "\x04smtp"s, ParseError::truncated_question, "", 0},
        {"label past end", header + "\x09smtp"s, ParseError::truncated_question, "", 0},
        {"no type/class", header + smtp + "\x00\x01\x00"s, ParseError::truncated_question, "", 0},
        {"pointer", header + "\xC0\x0C"s + a_in, ParseError::compressed_name, "", 0},
        {"label 64", header + "\x40"s + std::string(64, 'a') + "\x00"s + a_in, ParseError::label_too_long, "", 0},
        {"dot in label", header + "\x03" "a.b\x00"s + a_in, ParseError::bad_label, "", 0},
    };
    for (const Case& c : cases) {
        auto r = parse_query(c.bytes);
        if (c.error) {
            ASSERT_TRUE(std::holds_alternative<ParseFailure>(r)) << c.label;
            EXPECT_EQ(std::get<ParseFailure>(r).error, *c.error) << c.label;
            EXPECT_EQ(std::get<ParseFailure>(r).header.has_value(), c.bytes.size() >= 12) << c.label;
        } else {
            ASSERT_TRUE(std::holds_alternative<Query>(r)) << c.label;
            const Query& q = std::get<Query>(r);
            EXPECT_EQ(q.header.id, 0x1234) << c.label;
            EXPECT_TRUE(q.header.rd) << c.label;
            EXPECT_EQ(q.question.name, c.name) << c.label;
            EXPECT_EQ(q.question.type, c.qtype) << c.label;
            EXPECT_EQ(q.question.klass, class_in) << c.label;
        }
    }
}

// RFC 1035 2.3.4: 255 octets on the wire is the most a name may take (n-1, n, n+1).
TEST(DnsMessage, NameLengthLimit) {
    for (std::size_t wire : {254u, 255u, 256u}) {
        // three 63-octet labels (64 on the wire each), one more label, the root octet
        const std::size_t last = wire - 3 * 64 - 2;
        std::string name, raw;
        for (int i = 0; i < 3; ++i) {
            name += std::string(63, 'a') + ".";
            raw += "\x3F"s + std::string(63, 'a');
        }
        name += std::string(last, 'b');
        raw += std::string(1, static_cast<char>(last)) + std::string(last, 'b') + "\x00"s;
        ASSERT_EQ(raw.size(), wire);
        auto w = name_to_wire(name);
        auto r = parse_query(header + raw + "\x00\x01\x00\x01"s);
        if (wire <= max_name_wire) {
            ASSERT_TRUE(w) << wire;
            EXPECT_EQ(*w, raw);
            ASSERT_TRUE(std::holds_alternative<Query>(r)) << wire;
            EXPECT_EQ(std::get<Query>(r).question.name, name);
        } else {
            EXPECT_FALSE(w) << wire;
            ASSERT_TRUE(std::holds_alternative<ParseFailure>(r));
            EXPECT_EQ(std::get<ParseFailure>(r).error, ParseError::name_too_long);
        }
    }
}

TEST(DnsMessage, EncodeExactBytes) {
    Response r;
    r.id = 0xBEEF;
    r.rd = true;
    r.aa = true;
    r.question = Question{"a.b", 1, 1};
    const std::uint8_t v4[4] = {127, 0, 0, 1};
    r.answers.push_back({"a.b", 1, 60, a_rdata(v4)});
    EXPECT_EQ(encode(r), "\xBE\xEF\x85\x00\x00\x01\x00\x01\x00\x00\x00\x00"
                         "\x01" "a\x01" "b\x00\x00\x01\x00\x01"
                         "\x01" "a\x01" "b\x00\x00\x01\x00\x01\x00\x00\x00\x3C\x00\x04\x7F\x00\x00\x01"s);
}

TEST(DnsMessage, UdpTruncationSetsTc) {
    Response r;
    r.question = Question{"a.b", 16, 1};
    for (int i = 0; i < 10; ++i) r.answers.push_back({"a.b", 16, 60, txt_rdata(std::string(100, 'x'))});
    std::string out = encode(r, max_udp_payload);
    EXPECT_LE(out.size(), max_udp_payload);
    EXPECT_TRUE(out[2] & 0x02);
    std::uint16_t an = static_cast<std::uint16_t>((static_cast<unsigned char>(out[6]) << 8) | static_cast<unsigned char>(out[7]));
    EXPECT_EQ(an, 4);  // 12 + 9 + 4 * (9 + 10 + 101) = 501; a fifth would pass 512
    EXPECT_FALSE(encode(r)[2] & 0x02);
}

TEST(DnsMessage, TxtSplitsAt255) {
    EXPECT_EQ(txt_rdata("abc"), "\x03" "abc"s);
    for (std::size_t n : {254u, 255u, 256u}) {
        std::string rd = txt_rdata(std::string(n, 'x'));
        EXPECT_EQ(rd.size(), n + (n > 255 ? 2 : 1)) << n;
        EXPECT_EQ(static_cast<unsigned char>(rd[0]), std::min<std::size_t>(n, 255)) << n;
    }
}

TEST(DnsMessage, MxRdata) { EXPECT_EQ(mx_rdata(10, "m.x"), "\x00\x0A\x01m\x01x\x00"s); }

}  // namespace
}  // namespace exosim::lab::dns
