#include "identity/scopes.hpp"

#include "policy/tenant.hpp"

namespace exosim::identity {

std::vector<std::string> split_spaces(std::string_view s) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < s.size()) {
        const std::size_t j = s.find(' ', i);
        const std::size_t end = j == std::string_view::npos ? s.size() : j;
        if (end > i) out.emplace_back(s.substr(i, end - i));
        i = end + 1;
    }
    return out;
}

std::string join_spaces(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) {
        if (!out.empty()) out += ' ';
        out += s;
    }
    return out;
}

std::vector<std::string> ScopeRequest::granted() const {
    std::vector<std::string> out;
    for (const auto& p : permissions) out.push_back(resource + "/" + p);
    if (openid) out.emplace_back("openid");
    if (profile) out.emplace_back("profile");
    if (email) out.emplace_back("email");
    if (offline_access) out.emplace_back("offline_access");
    return out;
}

bool ScopeRequest::has_default() const {
    for (const auto& p : permissions) {
        if (p == ".default") return true;
    }
    return false;
}

std::optional<ScopeRequest> parse_scope(std::string_view scope, std::string* bad) {
    ScopeRequest r;
    for (const std::string& s : split_spaces(scope)) {
        const std::string l = policy::lower(s);
        if (l == "openid") { r.openid = true; continue; }
        if (l == "profile") { r.profile = true; continue; }
        if (l == "email") { r.email = true; continue; }
        if (l == "offline_access") { r.offline_access = true; continue; }
        const std::size_t slash = s.rfind('/');
        const std::size_t scheme = s.find("://");
        if (scheme == std::string::npos || slash == std::string::npos || slash <= scheme + 3 || slash + 1 == s.size()) {
            if (bad != nullptr) *bad = s;
            return std::nullopt;
        }
        const std::string resource = policy::lower(s.substr(0, slash));
        if (!r.resource.empty() && r.resource != resource) {
            if (bad != nullptr) *bad = s;
            return std::nullopt;
        }
        r.resource = resource;
        r.permissions.push_back(s.substr(slash + 1));
    }
    return r;
}

ScopeRequest scope_from_resource(std::string_view resource) {
    ScopeRequest r;
    r.resource = policy::lower(resource);
    while (!r.resource.empty() && r.resource.back() == '/') r.resource.pop_back();
    r.permissions = {".default"};
    return r;
}

}  // namespace exosim::identity
