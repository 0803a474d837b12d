#pragma once
// A stored message's MIME structure for GET /messages/{id}: top-level header fields, the first
// text/plain and text/html bodies (transfer-decoded), and every leaf part with its type, file
// name, decoded size and SHA-256. Header unfolding is scenario::header_fields (the same reading
// the attachment verdict uses). Tolerant: malformed MIME yields fewer parts, never an error.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/message_text.hpp"

namespace exosim::control {

struct MessagePart {
    std::string content_type;             // lower case type/subtype, "text/plain" when absent
    std::optional<std::string> filename;  // Content-Disposition filename= or Content-Type name=
    std::string disposition;              // "attachment", "inline" or ""
    std::string transfer_encoding;        // lower case, "" when absent
    std::size_t size = 0;                 // decoded octets
    std::string sha256;                   // lower-case hex of the decoded content
    bool attachment() const { return filename.has_value() || disposition == "attachment"; }
};

struct MessageParts {
    std::vector<scenario::HeaderField> headers;
    std::optional<std::string> text;  // decoded octets of the first text/plain non-attachment part
    std::optional<std::string> html;
    std::vector<MessagePart> parts;   // leaves, in document order
};

// Multiparts nested deeper than this are not opened (a hostile message is no reason to recurse).
inline constexpr int max_mime_depth = 8;

MessageParts parse_message_parts(std::string_view message);

// RFC 2045 6.7 quoted-printable and 6.8 base64 (whitespace ignored); other encodings unchanged.
std::string decode_transfer_encoding(std::string_view encoding, std::string_view body);
std::string sha256_hex(std::string_view bytes);

}  // namespace exosim::control
