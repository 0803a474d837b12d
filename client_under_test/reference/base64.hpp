#pragma once
// Base64 (RFC 4648 4) through OpenSSL's EVP_EncodeBlock, for SASL (RFC 4954) and MIME (RFC 2045 6.8).
#include <string>
#include <string_view>

namespace exosim::client {

std::string base64_encode(std::string_view bytes);
// MIME body form: lines of at most 76 characters, each ending in CRLF (RFC 2045 6.8).
std::string base64_encode_lines(std::string_view bytes, std::size_t line_length = 76);

}  // namespace exosim::client
