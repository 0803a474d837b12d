#pragma once
// The authority a device is configured with, e.g. https://login.microsoftonline.com/contoso.com, and
// the v2.0 endpoints under it (reference entra-id-oauth.md §3). Canon's panel takes the longer
// form ending in /oauth2/v2.0, so that suffix is accepted too.
#include <optional>
#include <string>
#include <string_view>

namespace exosim::client::oauth {

struct Authority {
    std::string host;    // login.microsoftonline.com: SNI, Host and the certificate name
    std::string port = "443";
    std::string tenant;  // GUID, verified domain, common or organizations

    std::string base_url() const;  // https://host[:port]/tenant
    // Paths on the host, and the full URL of the token endpoint (a client assertion's `aud`).
    std::string token_path() const { return "/" + tenant + "/oauth2/v2.0/token"; }
    std::string devicecode_path() const { return "/" + tenant + "/oauth2/v2.0/devicecode"; }
    std::string authorize_path() const { return "/" + tenant + "/oauth2/v2.0/authorize"; }
    std::string token_url() const { return base_url() + "/oauth2/v2.0/token"; }
    std::string authorize_url() const { return base_url() + "/oauth2/v2.0/authorize"; }
};

// nullopt with `why` set when the text is not https://host[:port]/tenant[/oauth2/v2.0][/].
std::optional<Authority> parse_authority(std::string_view text, std::string& why);

}  // namespace exosim::client::oauth
