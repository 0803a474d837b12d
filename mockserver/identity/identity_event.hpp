#pragma once
// One sign-in service request as the control API, the WebSocket stream and metrics see it
// (issue 14 "Observability"). Never holds a secret, password, code, assertion or token.
#include <chrono>
#include <string>

namespace exosim::identity {

struct IdentityEvent {
    std::chrono::system_clock::time_point time;
    std::string method;
    std::string path;        // without the query
    std::string grant;       // grant_type for /token, else the page or endpoint ("devicecode", "authorize", ...)
    std::string client_id;
    std::string user;        // the signed-in or named user, when known
    bool ok = true;
    std::string error;       // OAuth error ("invalid_grant") or empty
    unsigned aadsts = 0;     // 0 when none
    unsigned status = 200;
    // For certify's timeline and verdicts (issue 13): none of these is a secret.
    std::string host;             // Host header, lower case, without port
    std::string scope;            // the requested scope (or v1 resource), as sent
    unsigned retry_after = 0;     // seconds of a Retry-After the response carried (0: none)
    unsigned interval = 0;        // /devicecode: the polling interval handed out
    // Refresh tokens by fingerprint: the first 12 hex digits of SHA-256 of the token. Not enough
    // to use one; enough to tell which of those issued a client presented (newest or older).
    std::string refresh_used;
    std::string refresh_issued;
    bool access_token_issued = false;
    long long expires_in = 0;     // seconds, when an access token was issued
};

}  // namespace exosim::identity
