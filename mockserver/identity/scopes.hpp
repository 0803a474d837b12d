#pragma once
// The `scope` parameter (v2) and `resource` (v1): which resource, which permissions, which OIDC
// scopes. One resource per request, as Entra requires.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace exosim::identity {

inline constexpr std::string_view outlook_resource = "https://outlook.office.com";
inline constexpr std::string_view outlook365_resource = "https://outlook.office365.com";

struct ScopeRequest {
    std::string resource;                  // empty: OIDC scopes only
    std::vector<std::string> permissions;  // short names ("SMTP.Send"); ".default" kept as is
    bool openid = false, profile = false, email = false, offline_access = false;

    // Full names as granted in the response's `scope`, OIDC scopes last.
    std::vector<std::string> granted() const;
    bool has_default() const;
};

// nullopt (with `bad` = the offending scope) for two resources or a scope without a resource.
std::optional<ScopeRequest> parse_scope(std::string_view scope, std::string* bad);
// v1: `resource` = "https://outlook.office.com"; permissions are the app's ones for it.
ScopeRequest scope_from_resource(std::string_view resource);

std::vector<std::string> split_spaces(std::string_view s);
std::string join_spaces(const std::vector<std::string>& v);

}  // namespace exosim::identity
