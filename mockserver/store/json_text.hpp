#pragma once
// Text helpers for the JSON the store writes: JSON strings must be valid UTF-8 (RFC 8259 8.1),
// while SMTP input is arbitrary octets.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace exosim::store {

// Strict UTF-8 (RFC 3629): no overlong forms, surrogates or code points above U+10FFFF.
bool is_valid_utf8(std::string_view s);
// `s` with each invalid sequence (a bad lead byte and the continuation bytes after it) replaced
// by one U+FFFD.
std::string to_valid_utf8(std::string_view s);
// "2025-01-31T12:34:56.789Z" and back; nullopt for any other shape.
std::string format_utc_ms(std::chrono::system_clock::time_point t);
std::optional<std::chrono::system_clock::time_point> parse_utc_ms(std::string_view text);
// Ids used as file names: [A-Za-z0-9_.-], not starting with '.', at most 128 characters.
bool is_safe_file_id(std::string_view id);

}  // namespace exosim::store
