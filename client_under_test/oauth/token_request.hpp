#pragma once
// The form bodies of the requests a device sends to Entra (reference entra-id-oauth.md §3), and the
// retry policy for the token endpoint. Values in, FormParams out: the wire order is fixed so tests
// can assert exact bodies.
#include <chrono>
#include <optional>
#include <string>

#include "oauth/form.hpp"
#include "oauth/token_response.hpp"

namespace exosim::client::oauth {

inline constexpr std::string_view device_code_grant = "urn:ietf:params:oauth:grant-type:device_code";
inline constexpr std::string_view jwt_bearer_assertion = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
// Issue 13 "Token request": the delegated scope a device that keeps running asks for, and app-only's.
inline constexpr std::string_view default_delegated_scope = "https://outlook.office.com/SMTP.Send offline_access";
inline constexpr std::string_view default_app_scope = "https://outlook.office365.com/.default";

// How a confidential client proves itself: a secret (client_secret_post) or a signed assertion.
struct ClientCredential {
    std::string secret;
    std::string assertion;  // a JWT from client_assertion.hpp
};

FormParams device_code_request(const std::string& client_id, const std::string& scope);
FormParams device_token_request(const std::string& client_id, const std::string& device_code);
FormParams client_credentials_request(const std::string& client_id, const std::string& scope, const ClientCredential& c);
FormParams refresh_request(const std::string& client_id, const std::string& scope, const std::string& refresh_token,
                           const ClientCredential& c);
FormParams auth_code_request(const std::string& client_id, const std::string& scope, const std::string& code,
                             const std::string& redirect_uri, const std::string& code_verifier);
// The /authorize query for the authorization-code flow with PKCE S256 (RFC 7636 4.3).
FormParams authorize_query(const std::string& client_id, const std::string& scope, const std::string& redirect_uri,
                           const std::string& state, const std::string& code_challenge);

// Bounded retries for 5xx and timeouts (issue 13 "Outages"): at most this many attempts in all.
inline constexpr int max_token_attempts = 4;
inline constexpr std::chrono::seconds first_backoff{1};
// A Retry-After longer than this is not waited for: the client gives up and says so.
inline constexpr std::chrono::seconds max_retry_after{120};

// After failed attempt number `attempt` (1-based) with error `e`: how long to wait before the next
// one, or nullopt to stop. Honours Retry-After (never earlier) unless ignore_retry_after.
std::optional<std::chrono::seconds> retry_delay(const TokenError& e, int attempt, bool ignore_retry_after);

}  // namespace exosim::client::oauth
