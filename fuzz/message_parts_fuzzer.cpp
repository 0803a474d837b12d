// control/message_parts: a stored message (any octets) walked for GET /messages/{id}.
// Properties: no crash or unbounded recursion; every decoded size is at most the message's size
// (base64 and quoted-printable only shrink), every digest is 64 lower-case hex digits, and a
// second walk gives the same result.
#include <cstdint>
#include <string_view>

#include "control/message_parts.hpp"
#include "core/ascii.hpp"

namespace {

using namespace exosim::control;

void check(bool ok) {
    if (!ok) __builtin_trap();
}

bool lower_hex(std::string_view s) {
    for (char c : s)
        if (!exosim::core::ascii::is_digit(c) && !(c >= 'a' && c <= 'f')) return false;
    return s.size() == 64;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view message(reinterpret_cast<const char*>(data), size);
    const MessageParts p = parse_message_parts(message);
    check(!p.text || p.text->size() <= size);
    check(!p.html || p.html->size() <= size);
    for (const MessagePart& part : p.parts) {
        check(part.size <= size);
        check(lower_hex(part.sha256));
    }
    const MessageParts again = parse_message_parts(message);
    check(again.parts.size() == p.parts.size() && again.text == p.text && again.html == p.html);
    return 0;
}
