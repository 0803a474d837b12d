#pragma once
// The seam through which XOAUTH2 on the submission endpoints checks a bearer token (issue 3
// "XOAUTH2"). The one implementation is the sign-in service's (identity::IdentityService::
// smtp_verifier(): RS256, claims as Exchange checks them, issue 14); policy stays free of JWTs and
// OpenSSL. Every failure maps to the generic 535 5.7.3 on the wire (reference §10); the status and
// reason are for events, transcripts and verdicts.
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

}  // namespace exosim::policy
