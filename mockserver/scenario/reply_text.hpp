#pragma once
// How scenario files write replies and raw bytes, shared by the loaders (validation) and the script
// layers (conversion). Errors come back as text; the loaders add file, line and key.
#include <optional>
#include <string>
#include <string_view>

#include "core/reply.hpp"

namespace exosim::scenario {

// A reply written as text: lines separated by "\n" (one trailing "\n" ignored), each line starting
// with the same three-digit code 200..599 followed by ' ', '-' or nothing, e.g.
// "250-mock.example\n250 AUTH LOGIN". The separators are not kept: render() decides them, so the
// result is always well-formed. Anything malformed on purpose is written as raw bytes instead.
// The enhanced code stays part of the line text, so render() reproduces the text exactly.
std::optional<core::Reply> parse_reply_text(std::string_view text, std::string& error);

// Raw bytes written as a Unicode string (YAML and JSON strings are Unicode): each code point
// U+0000..U+00FF is one byte, so "\xff" and "\u00ff" are the byte 0xFF and "\x00" is NUL.
// Code points above U+00FF are refused (write bytes beyond ASCII with raw_hex instead).
std::optional<std::string> bytes_from_text(std::string_view utf8, std::string& error);
// The inverse, for writing raw bytes back to JSON: each byte becomes the code point of its value.
std::string text_from_bytes(std::string_view bytes);

// "32 35 30 0d 0a" or "3235300d0a": hex digit pairs, whitespace between pairs allowed.
std::optional<std::string> bytes_from_hex(std::string_view hex, std::string& error);

}  // namespace exosim::scenario
