#include "cli/oauth_options.hpp"

#include <iostream>

#include "cli/cli_options.hpp"

namespace exosim::client::cli {
namespace {

namespace po = boost::program_options;

std::string opt(const po::variables_map& vm, const char* name) {
    return vm.count(name) ? vm[name].as<std::string>() : std::string();
}

oauth::Flow flow(const std::string& name) {
    if (name == "device-code") return oauth::Flow::device_code;
    if (name == "client-credentials") return oauth::Flow::client_credentials;
    if (name == "auth-code") return oauth::Flow::auth_code;
    throw UsageError("--oauth must be device-code, client-credentials or auth-code");
}

// The scope asked for, with the two scope quirks applied to whatever was chosen.
std::string scope(const po::variables_map& vm, oauth::Flow f, const Quirks& q) {
    const bool app_only = f == oauth::Flow::client_credentials;
    std::string s = vm.count("scope") ? opt(vm, "scope")
                                      : std::string(app_only ? oauth::default_app_scope : oauth::default_delegated_scope);
    if (q.wrong_scope) s = app_only ? "https://graph.microsoft.com/.default" : "https://graph.microsoft.com/Mail.Send offline_access";
    if (q.no_offline_access) {
        for (std::size_t at; (at = s.find("offline_access")) != std::string::npos;) s.erase(at, 14);
        while (!s.empty() && s.back() == ' ') s.pop_back();
        for (std::size_t at; (at = s.find("  ")) != std::string::npos;) s.erase(at, 1);
    }
    if (s.empty()) throw UsageError("--scope is empty");
    return s;
}

void connect_address(const std::string& address, oauth::HttpsTarget& t) {
    const std::size_t colon = address.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == address.size())
        throw UsageError("--identity-address must be HOST:PORT");
    t.connect_host = address.substr(0, colon);
    t.connect_port = address.substr(colon + 1);
}

void credentials(const po::variables_map& vm, oauth::OAuthOptions& o) {
    o.client_secret = opt(vm, "client-secret");
    o.cert_file = opt(vm, "client-cert");
    o.key_file = opt(vm, "client-key");
    if (o.cert_file.empty() != o.key_file.empty()) throw UsageError("--client-cert and --client-key go together");
    const bool has_secret = !o.client_secret.empty();
    const bool has_cert = !o.cert_file.empty();
    if (has_secret && has_cert) throw UsageError("choose one of --client-secret, --client-cert");
    if (o.flow == oauth::Flow::client_credentials && !has_secret && !has_cert)
        throw UsageError("--oauth client-credentials needs --client-secret or --client-cert/--client-key");
    const std::string alg = opt(vm, "assertion-alg");
    if (alg != "ps256" && alg != "rs256") throw UsageError("--assertion-alg must be ps256 or rs256");
    o.rs256 = alg == "rs256";
}

}  // namespace

void add_oauth_options(po::options_description& d) {
    po::options_description o("OAuth (XOAUTH2 with a token from Microsoft Entra ID or exosim's stand-in)");
    o.add_options()("oauth", po::value<std::string>(), "device-code | client-credentials | auth-code")
        ("authority", po::value<std::string>(), "e.g. https://login.microsoftonline.com/contoso.com")
        ("client-id", po::value<std::string>(), "the app registration's client id")
        ("client-secret", po::value<std::string>(), "confidential client: the secret")
        ("client-cert", po::value<std::string>(), "confidential client: certificate (PEM) for a client assertion")
        ("client-key", po::value<std::string>(), "its private key (PEM)")
        ("assertion-alg", po::value<std::string>()->default_value("ps256"), "ps256 (x5t#S256) | rs256 (x5t)")
        ("scope", po::value<std::string>(), "default: SMTP.Send + offline_access; app-only: outlook.office365.com/.default")
        ("identity-address", po::value<std::string>(), "HOST:PORT to connect to for the authority's host (lab DNS stand-in)")
        ("token-cache", po::value<std::string>(), "file keeping the refresh token across runs")
        ("auth-code-browser", po::value<std::string>(), "auth-code: command run with the sign-in URL")
        ("auth-code-wait", po::value<int>()->default_value(300), "auth-code: seconds to wait for the redirect");
    d.add(o);
}

oauth::OAuthOptions oauth_options(const po::variables_map& vm, const Quirks& quirks, const std::string& ca_file) {
    oauth::OAuthOptions o;
    o.flow = flow(opt(vm, "oauth"));
    o.authority_text = opt(vm, "authority");
    if (o.authority_text.empty()) throw UsageError("--oauth needs --authority");
    std::string why;
    std::optional<oauth::Authority> a = oauth::parse_authority(o.authority_text, why);
    if (!a) throw UsageError("--authority: " + why);
    o.authority = *a;
    o.client_id = opt(vm, "client-id");
    if (o.client_id.empty()) throw UsageError("--oauth needs --client-id");
    credentials(vm, o);
    if (o.flow == oauth::Flow::client_credentials && opt(vm, "user").empty())
        throw UsageError("--oauth client-credentials needs --user (the mailbox the app sends as)");
    o.scope = scope(vm, o.flow, quirks);
    o.target.host = o.authority.host;
    o.target.port = o.authority.port;
    o.target.ca_file = ca_file;
    if (vm.count("identity-address")) connect_address(opt(vm, "identity-address"), o.target);
    if (vm.count("timeout")) o.target.timeout = std::chrono::seconds(std::max(1, vm["timeout"].as<int>()));
    o.cache_path = opt(vm, "token-cache");
    o.browser_cmd = opt(vm, "auth-code-browser");
    o.auth_code_wait = std::chrono::seconds(std::max(1, vm["auth-code-wait"].as<int>()));
    o.quirks = quirks;
    o.panel = &std::cerr;
    return o;
}

}  // namespace exosim::client::cli
