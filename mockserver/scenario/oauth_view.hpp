#pragma once
// What the OAuth verdict rules (issue 13) read besides the SMTP view: the XOAUTH2 attempts with
// the token's claims (decoded, never verified: the server already did that), run-relative times,
// the sign-in clock at any moment of the run, and the text an identity request is quoted as.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scenario/verdict_rules.hpp"

namespace exosim::scenario::oauth {

// One AUTH XOAUTH2 exchange on SMTP.
struct Xoauth2Attempt {
    std::size_t conn = 0;               // connection index
    std::size_t line = 0;               // the AUTH command (index into the view's lines)
    Millis at{0};                       // since the run began
    std::string user;                   // user= of the SASL message
    std::string bearer;                 // the token as sent (judged, never quoted)
    bool jwt = false;                   // three base64url parts with a JSON payload
    std::string upn;                    // claims (empty when absent)
    bool app_only = false;              // roles SMTP.SendAsApp
    std::int64_t exp = 0, nbf = 0;
    const ServerReply* reply = nullptr; // the final reply to the exchange
};
std::vector<Xoauth2Attempt> xoauth2_attempts(const rules::Context& c);

// "I 1.234s POST login.microsoftonline.com/contoso.com/oauth2/v2.0/token grant=device_code
// client=0d3c... -> 400 authorization_pending AADSTS70016"
std::string identity_line(const IdentityRecord& r);
std::string quote_identity(const IdentityRecord& r);
// The same quote for an XOAUTH2 attempt: the AUTH line, user= and the token's claims (no token).
std::string quote_attempt(const rules::Context& c, const Xoauth2Attempt& a);

// The sign-in clock (Unix seconds) `at` into the run; nullopt when the trace does not know it.
std::optional<std::int64_t> identity_time(const Trace& t, Millis at);
// The job (0-based) running `at` into the run (0 when the trace has no job starts).
std::size_t job_at(const Trace& t, Millis at);

bool is_token_request(const IdentityRecord& r);            // POST .../token
bool is_device_poll(const IdentityRecord& r);              // token request, device_code grant
bool is_terminal_device_error(const IdentityRecord& r);    // expired_token, authorization_declined, bad_verification_code
bool is_delegated_flow(const Scenario& s);                 // not client credentials

}  // namespace exosim::scenario::oauth
