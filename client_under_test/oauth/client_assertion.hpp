#pragma once
// The client assertion a confidential client signs with its certificate's key (RFC 7523 2.2,
// Entra "certificate credentials"): header {alg, typ, x5t#S256 (+ x5t for RS256)}, claims {aud =
// the token endpoint, iss = sub = client id, jti, nbf, iat, exp}. PKCE (RFC 7636) lives here too:
// both are small OpenSSL digests/signatures with the clock and randomness passed in.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace exosim::client::oauth {

// Lifetime of an assertion we sign: Entra's examples use 10 minutes.
inline constexpr std::int64_t assertion_lifetime = 600;

enum class AssertionAlg { ps256, rs256 };

struct AssertionInput {
    std::string cert_pem;   // the app's certificate (its thumbprints go in the header)
    std::string key_pem;    // its private key
    std::string client_id;
    std::string audience;   // the token endpoint URL
    std::string jti;        // unique per assertion
    std::int64_t now = 0;   // Unix seconds
    AssertionAlg alg = AssertionAlg::ps256;
};

std::string base64url(std::string_view bytes);
// nullopt with `why` when the certificate or key cannot be read or signing fails.
std::optional<std::string> make_client_assertion(const AssertionInput& in, std::string& why);

// RFC 7636 4.2: code_challenge = BASE64URL(SHA256(ASCII(code_verifier))).
std::string pkce_challenge_s256(std::string_view verifier);
// RFC 7636 4.1: 43..128 unreserved characters; made from 32 random octets as base64url.
std::string pkce_verifier_from(std::string_view random32);

}  // namespace exosim::client::oauth
