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

// One XOAUTH2 token Exchange checked (an identity record with endpoint "xoauth2": the wire only
// shows "AUTH XOAUTH2 [redacted]").
using Xoauth2Attempt = IdentityRecord;
std::vector<const Xoauth2Attempt*> xoauth2_attempts(const Trace& t);

// "I 1.234s POST login.microsoftonline.com/contoso.com/oauth2/v2.0/token grant=device_code
// client=0d3c... -> 400 authorization_pending AADSTS70016"
std::string identity_line(const IdentityRecord& r);
std::string quote_identity(const IdentityRecord& r);
// An XOAUTH2 check: user=, the token's claims (never the token) and Exchange's verdict.
std::string quote_attempt(const Xoauth2Attempt& a);

// The sign-in clock (Unix seconds) `at` into the run; nullopt when the trace does not know it.
std::optional<std::int64_t> identity_time(const Trace& t, Millis at);
// The job (0-based) running `at` into the run (0 when the trace has no job starts).
std::size_t job_at(const Trace& t, Millis at);

bool is_token_request(const IdentityRecord& r);            // POST .../token
bool is_xoauth2(const IdentityRecord& r);                  // Exchange's check of an SMTP bearer token
bool is_device_poll(const IdentityRecord& r);              // token request, device_code grant
bool is_terminal_device_error(const IdentityRecord& r);    // expired_token, authorization_declined, bad_verification_code
bool is_delegated_flow(const Scenario& s);                 // not client credentials
// A step of a sign-in flow: /authorize, /devicecode or /token (discovery and JWKS are not).
bool is_flow_request(const IdentityRecord& r);
// The client started a sign-in: at least one flow request.
bool asked_for_token(const Trace& t);

}  // namespace exosim::scenario::oauth
