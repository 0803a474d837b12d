#pragma once
// exosim's own XOAUTH2 bearer tokens (issue 3 "XOAUTH2"): compact JWT-like
// base64url(header).base64url(payload).base64url(HMAC-SHA256(header.payload, secret)), alg HS256,
// claims sub (user), aud, scp, iat, exp; times on the same Clock as throttling.
// Every failure maps to the generic 535 5.7.3 on the wire (reference §10); the status is for logs.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "policy/clock.hpp"

namespace exosim::policy {

enum class TokenStatus {
    ok, bad, expired, wrong_audience, wrong_user, wrong_scope,
    bad_signature, wrong_issuer, wrong_tenant, not_yet_valid, wrong_role,
};
std::string_view token_status_name(TokenStatus s);

// A verdict with the reason a vendor needs ("aud \"https://graph.microsoft.com\" is not
// https://outlook.office.com"). The wire never shows the reason (always 535 5.7.3); the session's
// events do.
struct TokenCheck {
    TokenStatus status = TokenStatus::ok;
    std::string reason;  // empty when ok
    bool ok() const { return status == TokenStatus::ok; }
};

// The seam policies use; the app injects the sign-in service's verifier (RS256, OpenSSL-backed).
class TokenVerifier {
public:
    virtual ~TokenVerifier() = default;
    // `expected_user` is the XOAUTH2 "user=" value.
    virtual TokenCheck check(std::string_view token, std::string_view expected_user, const Clock& clock) const = 0;
    TokenStatus verify(std::string_view token, std::string_view expected_user, const Clock& clock) const {
        return check(token, expected_user, clock).status;
    }
};

struct TokenClaims {
    std::string sub;
    std::string aud;
    std::string scp;
    std::int64_t iat = 0;
    std::int64_t exp = 0;
};

class TokenIssuer final : public TokenVerifier {
public:
    // Delegated scope and resource (reference §10 [DOC]); outlook.office365.com is accepted too [3P].
    static constexpr std::string_view default_audience = "https://outlook.office.com";
    static constexpr std::string_view default_scope = "SMTP.Send";

    // `secret`: the HMAC key (the app persists a random one in the data dir). Must not be empty.
    explicit TokenIssuer(std::string secret);

    std::string mint(std::string_view user, std::chrono::seconds ttl, const Clock& clock) const;
    std::string mint(const TokenClaims& claims) const;
    TokenCheck check(std::string_view token, std::string_view expected_user, const Clock& clock) const override;
    // Claims of a correctly signed token (nullopt when malformed or forged); expiry not checked.
    std::optional<TokenClaims> decode(std::string_view token) const;

private:
    std::string secret_;
};

std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace exosim::policy
