#include "oauth/authority.hpp"

#include <algorithm>
#include <cctype>

namespace exosim::client::oauth {
namespace {

bool host_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.'; }
bool tenant_char(char c) { return host_char(c) || c == '_'; }

bool all_digits(std::string_view s) {
    return !s.empty() && s.size() <= 5 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string Authority::base_url() const {
    return "https://" + host + (port == "443" ? std::string() : ":" + port) + "/" + tenant;
}

std::optional<Authority> parse_authority(std::string_view text, std::string& why) {
    constexpr std::string_view scheme = "https://";
    if (text.substr(0, scheme.size()) != scheme) {
        why = "the authority must start with https://";
        return std::nullopt;
    }
    text.remove_prefix(scheme.size());
    while (!text.empty() && text.back() == '/') text.remove_suffix(1);
    constexpr std::string_view v2 = "/oauth2/v2.0";
    if (text.size() > v2.size() && text.substr(text.size() - v2.size()) == v2) text.remove_suffix(v2.size());
    const std::size_t slash = text.find('/');
    Authority a;
    std::string_view hostport = text.substr(0, slash);
    const std::string_view tenant = slash == std::string_view::npos ? std::string_view{} : text.substr(slash + 1);
    if (const std::size_t colon = hostport.find(':'); colon != std::string_view::npos) {
        if (!all_digits(hostport.substr(colon + 1))) {
            why = "the authority's port is not a number";
            return std::nullopt;
        }
        a.port = std::string(hostport.substr(colon + 1));
        hostport = hostport.substr(0, colon);
    }
    if (hostport.empty() || !std::all_of(hostport.begin(), hostport.end(), host_char)) {
        why = "the authority has no valid host name";
        return std::nullopt;
    }
    if (tenant.empty() || !std::all_of(tenant.begin(), tenant.end(), tenant_char)) {
        why = "the authority must name one tenant: https://login.microsoftonline.com/<tenant>";
        return std::nullopt;
    }
    a.host = std::string(hostport);
    a.tenant = std::string(tenant);
    return a;
}

}  // namespace exosim::client::oauth
