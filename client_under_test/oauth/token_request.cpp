#include "oauth/token_request.hpp"

#include <algorithm>

namespace exosim::client::oauth {
namespace {

void add_credential(FormParams& p, const ClientCredential& c) {
    if (!c.assertion.empty()) {
        p.emplace_back("client_assertion_type", std::string(jwt_bearer_assertion));
        p.emplace_back("client_assertion", c.assertion);
    } else if (!c.secret.empty()) {
        p.emplace_back("client_secret", c.secret);
    }
}

}  // namespace

FormParams device_code_request(const std::string& client_id, const std::string& scope) {
    return {{"client_id", client_id}, {"scope", scope}};
}

FormParams device_token_request(const std::string& client_id, const std::string& device_code) {
    return {{"grant_type", std::string(device_code_grant)}, {"client_id", client_id}, {"device_code", device_code}};
}

FormParams client_credentials_request(const std::string& client_id, const std::string& scope, const ClientCredential& c) {
    FormParams p{{"grant_type", "client_credentials"}, {"client_id", client_id}, {"scope", scope}};
    add_credential(p, c);
    return p;
}

FormParams refresh_request(const std::string& client_id, const std::string& scope, const std::string& refresh_token,
                           const ClientCredential& c) {
    // v2.0 wants the scope on a refresh too (AADSTS900144 without it, reference §3).
    FormParams p{{"grant_type", "refresh_token"}, {"client_id", client_id}, {"scope", scope},
                 {"refresh_token", refresh_token}};
    add_credential(p, c);
    return p;
}

FormParams auth_code_request(const std::string& client_id, const std::string& scope, const std::string& code,
                             const std::string& redirect_uri, const std::string& code_verifier) {
    return {{"grant_type", "authorization_code"}, {"client_id", client_id}, {"scope", scope}, {"code", code},
            {"redirect_uri", redirect_uri}, {"code_verifier", code_verifier}};
}

FormParams authorize_query(const std::string& client_id, const std::string& scope, const std::string& redirect_uri,
                           const std::string& state, const std::string& code_challenge) {
    return {{"client_id", client_id}, {"response_type", "code"}, {"redirect_uri", redirect_uri},
            {"response_mode", "query"}, {"scope", scope}, {"state", state},
            {"code_challenge", code_challenge}, {"code_challenge_method", "S256"}};
}

std::optional<std::chrono::seconds> retry_delay(const TokenError& e, int attempt, bool ignore_retry_after) {
    if (e.kind != ErrorClass::transient || attempt >= max_token_attempts) return std::nullopt;
    const std::chrono::seconds backoff = first_backoff * (1 << std::min(attempt - 1, 6));
    if (ignore_retry_after || !e.retry_after) return backoff;
    const std::chrono::seconds asked{*e.retry_after};
    if (asked > max_retry_after) return std::nullopt;
    return std::max(asked, backoff);
}

}  // namespace exosim::client::oauth
