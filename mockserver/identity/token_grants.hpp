#pragma once
// Internal: the token endpoint's parsed request and its grants.
#include <optional>
#include <string>

#include "identity/service_state.hpp"

namespace exosim::identity {

struct TokenRequest {
    FormParams form;
    TenantSegment tenant;
    std::string secret;  // client_secret (post or Basic)
    const AppRegistration* app = nullptr;
    std::string tenant_id;  // the path's tenant, or the app's home tenant under common/organizations
    bool v1 = false;
};

std::optional<AadError> authenticate_client(ServiceState& s, const TokenRequest& req, int& appidacr);
HttpResponse run_grant(ServiceState& s, Ctx& ctx, const TokenRequest& req, const std::string& grant);
std::optional<AadError> check_form_request(const HttpRequest& r);
std::optional<AadError> form_error(const FormResult& f);

}  // namespace exosim::identity
