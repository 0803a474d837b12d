#pragma once
// Base64 for SASL (RFC 4954) and MIME (RFC 2045 6.8): the encoder is core's (RFC 4648 4), shared
// with the server; this header adds the MIME line form.
#include <string>
#include <string_view>

#include "core/base64.hpp"

namespace exosim::client {

using core::base64_encode;
// MIME body form: lines of at most 76 characters, each ending in CRLF (RFC 2045 6.8).
std::string base64_encode_lines(std::string_view bytes, std::size_t line_length = 76);

}  // namespace exosim::client
