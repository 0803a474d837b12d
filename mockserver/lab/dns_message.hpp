#pragma once
// RFC 1035 messages, as much as a stub authority needs: parse a query's header and question,
// encode a response. Sans-I/O (bytes in, values out), std only.
//
// Why not a library: Debian's ldns would parse whole messages (every section, compression, EDNS
// options) into a C object graph with manual ownership; the lab stub reads a 12-octet header and
// one question and writes fixed-shape answers, so a small parser keeps the attack surface to what
// is fuzzed here (fuzz/dns_message_fuzzer.cpp). See docs/notes/labkit.md.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace exosim::lab::dns {

// RFC 1035 4.1.1 RCODE values (3 is NXDOMAIN, 5 REFUSED).
enum class Rcode : std::uint8_t { no_error = 0, format_error = 1, server_failure = 2, name_error = 3,
                                  not_implemented = 4, refused = 5 };

// RFC 1035 3.2.2 / RFC 3596 2.1 / RFC 6891 6.1.1 TYPE values used here.
namespace type {
inline constexpr std::uint16_t a = 1;
inline constexpr std::uint16_t soa = 6;
inline constexpr std::uint16_t mx = 15;
inline constexpr std::uint16_t txt = 16;
inline constexpr std::uint16_t aaaa = 28;
inline constexpr std::uint16_t any = 255;
}  // namespace type
inline constexpr std::uint16_t class_in = 1;  // RFC 1035 3.2.4

// RFC 1035 4.1.1: the header is 12 octets.
inline constexpr std::size_t header_size = 12;
// RFC 1035 2.3.4: a label is at most 63 octets, a name at most 255 octets on the wire.
inline constexpr std::size_t max_label = 63;
inline constexpr std::size_t max_name_wire = 255;
// RFC 1035 2.3.4 / 4.2.1: a UDP message without EDNS carries at most 512 octets.
inline constexpr std::size_t max_udp_payload = 512;
// RFC 1035 4.1.2 / 4.1.3: a character-string is at most 255 octets.
inline constexpr std::size_t max_character_string = 255;

struct Header {
    std::uint16_t id = 0;
    bool qr = false;  // response
    std::uint8_t opcode = 0;
    bool aa = false, tc = false, rd = false, ra = false;
    std::uint8_t rcode = 0;
    std::uint16_t qdcount = 0, ancount = 0, nscount = 0, arcount = 0;
};

struct Question {
    std::string name;  // as sent (case kept, the answer echoes it), dot-separated, no trailing dot; "" is the root
    std::uint16_t type = 0;
    std::uint16_t klass = 0;
};

struct Query {
    Header header;
    Question question;
};

enum class ParseError {
    short_header,        // fewer than 12 octets: nothing to answer (not even the id)
    not_a_query,         // QR set: never answer a response (no loops between two servers)
    question_count,      // QDCOUNT is not 1 (RFC 1035 4.1.2 allows more; nobody sends it)
    truncated_question,  // the question runs past the end
    label_too_long,      // a length octet of 64..191 (RFC 1035 2.3.4, reserved types)
    name_too_long,
    compressed_name,     // a pointer or reserved label type in the question
    bad_label,           // a '.' inside a label (legal on the wire, no text form here)
};
std::string_view parse_error_name(ParseError e);

struct ParseFailure {
    ParseError error;
    std::optional<Header> header;  // present when 12 octets were there (a FORMERR can be sent)
};

// Header and first question of a query; other sections (EDNS OPT in additional) are ignored, so
// answers carry no OPT record (RFC 6891 7: a responder without EDNS answers plainly).
std::variant<Query, ParseFailure> parse_query(std::string_view message);

struct ResourceRecord {
    std::string name;
    std::uint16_t type = 0;
    std::uint32_t ttl = 0;
    std::string rdata;  // wire form
};

struct Response {
    std::uint16_t id = 0;
    std::uint8_t opcode = 0;
    bool aa = false;
    bool rd = false;  // copied from the query (RFC 1035 4.1.1)
    Rcode rcode = Rcode::no_error;
    std::optional<Question> question;
    std::vector<ResourceRecord> answers;
    std::vector<ResourceRecord> authority;
};

// Wire form; names uncompressed (compression is optional for a sender, RFC 1035 4.1.4). With
// `max_size` (UDP) records that do not fit are left out and TC is set (RFC 1035 4.2.1).
std::string encode(const Response& response, std::size_t max_size = 65535);

// Name in wire form ("a.b" -> 1 a 1 b 0). Returns nullopt for names that cannot be encoded.
std::optional<std::string> name_to_wire(std::string_view name);
// RDATA builders (RFC 1035 3.3.9, 3.3.13, 3.3.14, 3.4.1; RFC 3596 2.2).
std::string a_rdata(const std::uint8_t (&v4)[4]);
std::string aaaa_rdata(const std::uint8_t (&v6)[16]);
std::string mx_rdata(std::uint16_t preference, std::string_view exchange);
std::string txt_rdata(std::string_view text);  // split into 255-octet character-strings
std::string soa_rdata(std::string_view mname, std::string_view rname, std::uint32_t serial, std::uint32_t refresh,
                      std::uint32_t retry, std::uint32_t expire, std::uint32_t minimum);

}  // namespace exosim::lab::dns
