#include "policy/token.hpp"

namespace exosim::policy {

std::string_view token_status_name(TokenStatus s) {
    switch (s) {
        case TokenStatus::ok: return "ok";
        case TokenStatus::bad: return "bad";
        case TokenStatus::expired: return "expired";
        case TokenStatus::wrong_audience: return "wrong_audience";
        case TokenStatus::wrong_user: return "wrong_user";
        case TokenStatus::wrong_scope: return "wrong_scope";
        case TokenStatus::bad_signature: return "bad_signature";
        case TokenStatus::wrong_issuer: return "wrong_issuer";
        case TokenStatus::wrong_tenant: return "wrong_tenant";
        case TokenStatus::not_yet_valid: return "not_yet_valid";
        case TokenStatus::wrong_role: return "wrong_role";
    }
    return "bad";
}

}  // namespace exosim::policy
