// Placeholder values for a client command: what the scenario asks the client to send, where to.
#include "harness/client_values.hpp"

#include <algorithm>
#include <vector>

#include "harness/command_template.hpp"

namespace exosim::harness {

namespace {

std::string join(const std::vector<std::string>& items, std::string_view sep) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : std::string(sep)) + i;
    return out;
}

std::string security_flag(const std::string& security) {
    if (security == "implicit") return "--implicit-tls";
    if (security == "none") return "--no-tls";
    return "--starttls";
}

std::string servername(const scenario::Send& send, const Endpoint& endpoint) {
    if (!send.servername.empty()) return send.servername;
    return endpoint.servername.empty() ? endpoint.host : endpoint.servername;
}

// exosim-client's OAuth options (issue 13 "Clients"): the flow, where and as whom to sign in, and
// the cache that keeps the refresh token across jobs.
// The person at the browser, for an unattended auth-code run: the worker's sign-in service signs
// the scenario's user in on /authorize (auto-approval), so following its redirects with curl, under
// Microsoft's host name and exosim's CA, reaches exosim-client's loopback redirect like a browser.
std::string browser_stand_in(const IdentityValues& id, const std::string& ca_file) {
    const std::string prefix = "https://";
    std::string host = id.authority.rfind(prefix, 0) == 0 ? id.authority.substr(prefix.size()) : id.authority;
    host = host.substr(0, host.find('/'));
    return "curl -sS -o /dev/null -L --max-redirs 5 --max-time 30 --cacert " + shell_quote(ca_file) +
           " --connect-to " + shell_quote(host + ":443:" + id.identity_address);
}

template <typename Add>
void add_oauth_args(const IdentityValues& id, const std::string& ca_file, Add& add) {
    add("--oauth", id.oauth_flow.empty() ? std::string("device-code") : id.oauth_flow);
    add("--authority", id.authority);
    add("--client-id", id.client_id);
    if (id.oauth_flow == "client-credentials") {
        if (!id.client_secret.empty()) add("--client-secret", id.client_secret);
        else {
            add("--client-cert", id.app_cert);
            add("--client-key", id.app_key);
        }
    }
    if (!id.token_cache.empty()) add("--token-cache", id.token_cache);
    if (!id.identity_address.empty()) add("--identity-address", id.identity_address);
    if (id.oauth_flow == "auth-code" && !id.identity_address.empty()) {
        add("--auth-code-browser", browser_stand_in(id, ca_file));
    }
}

}  // namespace

std::map<std::string, std::string> placeholder_values(const scenario::Scenario& s, const Endpoint& endpoint,
                                                      const RunnerOptions& options, unsigned attempt,
                                                      const std::string& attachment, const std::string& token,
                                                      const IdentityValues& identity) {
    const scenario::Send& send = s.send;
    std::map<std::string, std::string> v;
    v["host"] = endpoint.host;
    v["port"] = std::to_string(endpoint.port);
    v["security"] = send.security;
    v["auth"] = send.auth;
    v["from"] = send.from;
    v["to"] = send.to.empty() ? "" : send.to.front();
    v["to_all"] = join(send.to, ",");
    v["user"] = send.user;
    v["password"] = send.password;
    v["token"] = token;
    v["ca"] = options.ca_file.string();
    v["servername"] = servername(send, endpoint);
    v["attachment"] = attachment;
    v["subject"] = send.subject;
    v["body"] = send.body;
    v["client_cert"] = options.client_cert.string();
    v["client_key"] = options.client_key.string();
    v["source"] = send.source_address.value_or("");
    v["scenario"] = s.id;
    v["attempt"] = std::to_string(attempt);
    v["exosim_client"] = options.exosim_client.string();
    // issue 13: a client that gets its own token. {client_cert}/{client_key} are the relay
    // connector's TLS client certificate (send.client_certificate); the app registration's
    // certificate credential is {app_cert}/{app_key}.
    v["authority"] = identity.authority;
    v["identity_address"] = identity.identity_address;
    v["tenant_id"] = identity.tenant_id;
    v["client_id"] = identity.client_id;
    v["client_secret"] = identity.client_secret;
    v["app_cert"] = identity.app_cert;
    v["app_key"] = identity.app_key;
    v["scope"] = identity.scope;
    v["token_cache"] = identity.token_cache;
    v["oauth_flow"] = identity.oauth_flow;
    v["ca_file"] = options.ca_file.string();
    v["exosim_client_args"] = reference_client_args(s, endpoint, options, attachment, token, identity);
    return v;
}

std::string reference_client_args(const scenario::Scenario& s, const Endpoint& endpoint, const RunnerOptions& options,
                                   const std::string& attachment, const std::string& token,
                                   const IdentityValues& identity) {
    const scenario::Send& send = s.send;
    std::vector<std::string> args;
    auto add = [&](std::string flag, const std::string& value) {
        args.push_back(std::move(flag));
        args.push_back(shell_quote(value));
    };
    add("--server", endpoint.host + ":" + std::to_string(endpoint.port));
    if (send.source_address) add("--source", *send.source_address);
    args.push_back(security_flag(send.security));
    if (send.security != "none") {
        if (!options.ca_file.empty()) add("--ca", options.ca_file.string());
        add("--servername", servername(send, endpoint));
    }
    add("--auth", send.auth);
    if (send.auth != "none") {
        if (!send.user.empty()) add("--user", send.user);
        if (send.auth == "xoauth2" && send.token == "none") add_oauth_args(identity, options.ca_file.string(), add);
        else if (send.auth == "xoauth2") add("--token", token);
        else add("--password", send.password);
    }
    if (!options.client_cert.empty() && !options.client_key.empty()) {
        add("--cert", options.client_cert.string());
        add("--key", options.client_key.string());
    }
    add("--from", send.from);
    for (const auto& to : send.to) add("--to", to);
    add("--subject", send.subject);
    add("--body", send.body);
    if (!attachment.empty()) add("--attach", attachment);
    // The client retries by itself, as a device would: the same Message-ID on every attempt
    // and a real backoff (same-message-id-on-retry, retries-after-4xx-bounded). The harness runs
    // it again only when it stopped early with the message still deferred.
    unsigned retries = s.expect.max_attempts > 1 ? s.expect.max_attempts - 1 : 0;
    add("--retries", std::to_string(retries));
    if (retries > 0) add("--retry-delay-ms", "100");
    // The client's own deadlines must fire before the harness kills it (stall scenarios).
    auto cap = std::max<long long>(1, std::chrono::duration_cast<std::chrono::seconds>(options.client_timeout).count());
    add("--timeout", std::to_string(cap));
    return join(args, " ");
}

}  // namespace exosim::harness
