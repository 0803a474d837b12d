#pragma once
// RFC 4648 4 base64, strict: padded, no whitespace, nothing after the padding. Length-safe: the
// decoded text may hold any octet, NUL included.
#include <optional>
#include <string>
#include <string_view>

namespace exosim::core {

std::string base64_encode(std::string_view in);
std::optional<std::string> base64_decode(std::string_view in);

}  // namespace exosim::core
