#pragma once
// Token-endpoint and device-code responses as typed values (RFC 6749 5.1/5.2, RFC 8628 3.2/3.5, the
// Entra error envelope of reference entra-id-oauth.md §4). Bytes in, values out: no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace exosim::client::oauth {

// The HTTP answer as the I/O layer hands it over; status 0 means no answer (timeout, refused).
struct HttpAnswer {
    int status = 0;
    std::string retry_after;  // the Retry-After header, empty when absent
    std::string body;
    std::string transport_error;  // why there is no answer
};

struct TokenSuccess {
    std::string access_token;
    std::string token_type;
    std::string refresh_token;  // empty unless offline_access was granted
    std::string scope;
    std::string id_token;
    std::int64_t expires_in = 0;  // seconds
};

// What a client does next about an error, decided from `error` and the AADSTS code, never from the
// description (Microsoft: clients must not parse it).
enum class ErrorClass {
    pending,          // authorization_pending: poll again
    slow_down,        // RFC 8628 3.5: poll again, interval + 5 s
    declined,         // authorization_declined
    expired,          // expired_token (the device code)
    bad_code,         // bad_verification_code
    sign_in_again,    // invalid_grant on a refresh token: 700082, 50173, 70043, 70008 ...
    transient,        // 5xx, 429, no answer: retry with backoff
    fatal,            // anything else: report and stop
};

struct TokenError {
    int http_status = 0;
    std::string error;        // "invalid_grant"; "http_503" when the body is not the envelope
    std::string description;  // shown to the user as it is
    std::string suberror;
    std::vector<std::int64_t> codes;  // AADSTS numbers
    std::optional<std::int64_t> retry_after;  // seconds
    ErrorClass kind = ErrorClass::fatal;
};

using TokenReply = std::variant<TokenSuccess, TokenError>;

struct DeviceCode {
    std::string device_code;
    std::string user_code;
    std::string verification_uri;
    std::string message;
    std::int64_t expires_in = 900;  // reference §6
    std::int64_t interval = 5;      // RFC 8628 3.2: 5 s when absent
};

using DeviceCodeReply = std::variant<DeviceCode, TokenError>;

// Retry-After as delta-seconds (RFC 9110 10.2.3); an HTTP-date or junk gives nullopt, the caller
// then falls back to its own backoff.
std::optional<std::int64_t> parse_retry_after(std::string_view value);
TokenReply parse_token_reply(const HttpAnswer& answer);
DeviceCodeReply parse_device_code_reply(const HttpAnswer& answer);
// For a message: "invalid_grant AADSTS700082: The refresh token has expired ..." (first line only).
std::string describe(const TokenError& e);

}  // namespace exosim::client::oauth
