#pragma once
// Compact JWS (RFC 7515 7.1) with RS256 (RFC 7518 3.3): parse, sign and check the signature
// through Crypto. Claims are checked by the callers (smtp_verifier, client_assertion), which know
// what each claim must be.
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "identity/crypto.hpp"

namespace exosim::identity {

// [INFER] Entra's limit is not published; a token with an x5c header stays under 8 KiB.
inline constexpr std::size_t max_jwt_length = 16 * 1024;

// RFC 4648 5 without padding (RFC 7515 2). Decoding is strict: no padding, no whitespace, and the
// unused low bits of the last character must be zero (so each value has one encoding).
std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);
std::string base64_encode_std(std::string_view bytes);  // x5c is plain base64 (RFC 7517 4.7)

enum class JwtError { none, too_long, not_three_parts, bad_base64, bad_json, not_object };
std::string_view jwt_error_name(JwtError e);

struct Jwt {
    boost::json::object header;
    boost::json::object payload;
    std::string signing_input;  // base64url(header) "." base64url(payload), as received
    std::string signature;      // raw octets
};

struct JwtParse {
    std::optional<Jwt> jwt;
    JwtError error = JwtError::none;
};

JwtParse parse_jwt(std::string_view token);

// Signs header.payload with the current key (the caller puts alg/kid/typ in `header`).
std::string sign_jwt(const boost::json::object& header, const boost::json::object& payload, const Crypto& crypto);
// base64url(header) "." base64url(payload): what RS256 signs.
std::string jwt_signing_input(const boost::json::object& header, const boost::json::object& payload);
// `signing_input` "." base64url(RS256 signature with the current key).
std::string sign_jwt_input(std::string signing_input, const Crypto& crypto);

// Claim helpers: nullopt / empty when absent or of another type.
std::string_view string_claim(const boost::json::object& o, std::string_view name);
std::optional<std::int64_t> time_claim(const boost::json::object& o, std::string_view name);

std::int64_t unix_seconds(std::chrono::system_clock::time_point t);

}  // namespace exosim::identity
