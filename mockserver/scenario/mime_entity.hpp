#pragma once
// RFC 5322 / MIME entity primitives shared by the verdict rules (attachment intact) and the control
// API (parsed message parts). Tolerant by design: they read what a client under test produced.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace exosim::scenario {

struct HeaderField {
    std::string name;   // as sent
    std::string value;  // unfolded, leading blanks removed
};

// Offset of the body: after the first empty line (RFC 5322 2.1), or the end.
std::size_t header_end(std::string_view entity);

// RFC 5322 2.2: header fields up to the first empty line; folded lines joined.
std::vector<HeaderField> header_fields(std::string_view message);

// The first field named `name` (case-insensitive), or null.
const HeaderField* find_header(const std::vector<HeaderField>& fields, std::string_view name);

// RFC 2045 5.1 parameter of a field value: `key=token` or `key="quoted"`, key case-insensitive,
// blanks around '=' tolerated.
std::optional<std::string> header_parameter(std::string_view value, std::string_view key);

// The body parts between RFC 2046 5.1.1 boundary delimiters, up to the close delimiter; the CRLF
// before a delimiter belongs to it.
std::vector<std::string_view> multipart_parts(std::string_view body, std::string_view boundary);

// Content-Transfer-Encoding (lower case): base64 and quoted-printable decoded, others as they are.
// nullopt: the base64 is broken.
std::optional<std::string> decode_transfer_encoding(std::string_view encoding, std::string_view body);

// ASCII lower case, and blanks/CR/LF trimmed at both ends.
std::string ascii_lower(std::string_view s);
std::string_view trim_blanks(std::string_view s);

}  // namespace exosim::scenario
