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
};

}  // namespace exosim::identity
