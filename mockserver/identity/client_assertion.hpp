#pragma once
// private_key_jwt client authentication (RFC 7523 2.2, RFC 7521 4.2; Entra "certificate
// credentials"): an RS256 JWT whose header names a registered certificate by x5t or x5t#S256,
// with iss = sub = client_id, aud = the token endpoint, exp, nbf and a jti used once.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "identity/aadsts.hpp"
#include "identity/crypto.hpp"

namespace exosim::identity {

struct AssertionContext {
    std::string client_id;
    std::vector<std::string> audiences;          // accepted token endpoint URLs
    std::vector<std::string> certificates_pem;   // the app's registered certificates
    std::chrono::system_clock::time_point now;
    std::chrono::seconds skew{300};
    // Records a jti (until `exp`); false when it was seen before (replay).
    std::function<bool(std::string_view jti, std::int64_t exp)> consume_jti;
};

// nullopt: the assertion authenticates the client.
std::optional<AadError> check_client_assertion(std::string_view assertion, const AssertionContext& ctx,
                                               const Crypto& crypto);

}  // namespace exosim::identity
