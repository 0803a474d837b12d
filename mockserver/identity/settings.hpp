#pragma once
// Every value of the sign-in service that the reference marks unconfirmed or [INFER], with its
// default; docs/notes/idcore.md lists them for the README.
#include <chrono>
#include <optional>
#include <string>

#include "identity/form.hpp"

namespace exosim::identity {

struct AutoApprove {
    std::string user;                  // approve as this user (address)
    std::chrono::seconds delay{5};     // after the device code / sign-in was created
};

struct IdentitySettings {
    // reference §3 [WIRE]: older captures show https://microsoft.com/devicelogin, newer
    // https://www.microsoft.com/link.
    std::string verification_uri = "https://microsoft.com/devicelogin";
    // reference §3 [WIRE]: 8 characters now ("YZMYLD4K"), 9 in older captures. Letters without
    // I, L, O (confusable with 1, 0) [INFER].
    std::size_t user_code_length = 8;
    std::string user_code_alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ";
    std::chrono::seconds device_code_lifetime{900};  // reference §6 [DOC]
    std::chrono::seconds device_code_interval{5};    // reference §6 [DOC]
    // reference §3: slow_down is not documented for Entra and never seen [INFER]: off by default.
    bool slow_down = false;
    // reference §6 [DOC]: a random 60-90 minutes.
    std::chrono::seconds access_token_min{3600};
    std::chrono::seconds access_token_max{5400};
    std::chrono::seconds auth_code_lifetime{600};          // reference §3/§6 "~10 minutes" [DOC]
    std::chrono::seconds refresh_inactivity{90 * 86400};   // reference §6 [DOC]
    std::chrono::seconds smtp_clock_skew{300};              // issue 14: 5 minutes [INFER]
    std::chrono::seconds assertion_clock_skew{300};         // client assertion nbf/exp leeway [INFER]
    std::chrono::seconds flow_state_lifetime{3600};         // sign-in page state kept server-side [INFER]
    // Unauthenticated requests create state (a GET /authorize, a POST /devicecode): at most this
    // many of each are kept, the oldest dropped first, so a flood cannot exhaust memory.
    std::size_t max_pending_flows = 10000;
    // reference §5 [INFER]: no real SMTP token was decoded; Exchange's resources get v1 tokens.
    std::string access_token_version = "1.0";
    // Grace of a rotated signing key in the JWKS (issue 14 "Key rotation").
    std::chrono::seconds key_rotation_grace{86400};
    // Issue 14 "MFA": the code the MFA step accepts for every user that needs it.
    std::string mfa_code = "123456";
    std::optional<AutoApprove> auto_approve;
    FormLimits form_limits;
    std::size_t max_query = 8 * 1024;  // query string octets (AADSTS90015 beyond) [INFER]
};

}  // namespace exosim::identity
