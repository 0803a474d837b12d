// The --client command template: placeholders, quoting, escapes, unknown names.
#include "harness/command_template.hpp"

#include <gtest/gtest.h>

#include "harness/client_values.hpp"
#include "scenario/yaml_io.hpp"

namespace exosim::harness {
namespace {

TEST(ShellQuote, SafeTextStaysBareEverythingElseIsSingleQuoted) {
    EXPECT_EQ(shell_quote("printer@contoso.com"), "printer@contoso.com");
    EXPECT_EQ(shell_quote("127.0.0.1:2525"), "127.0.0.1:2525");
    EXPECT_EQ(shell_quote(""), "''");
    EXPECT_EQ(shell_quote("exosim test"), "'exosim test'");
    EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
    EXPECT_EQ(shell_quote("$(rm -rf /)"), "'$(rm -rf /)'");
    EXPECT_EQ(shell_quote("a;b"), "'a;b'");
}

TEST(CommandTemplate, FillsQuotedValuesAndLiteralBraces) {
    std::map<std::string, std::string> v{{"host", "127.0.0.1"}, {"port", "2525"}, {"subject", "Scan from 'MFP'"},
                                         {"to_all", "a@x.org,b@x.org"}};
    EXPECT_EQ(fill_template("send --server {host}:{port} --subject {subject} --to {to_all} {{json}}", v),
              "send --server 127.0.0.1:2525 --subject 'Scan from '\\''MFP'\\''' --to a@x.org,b@x.org {json}");
}

TEST(CommandTemplate, MissingValueIsEmptyQuoted) {
    EXPECT_EQ(fill_template("c --token {token}", {}), "c --token ''");
}

TEST(CommandTemplate, UnknownPlaceholderIsAnErrorNamingIt) {
    try {
        check_template("client --server {hostname}");
        FAIL() << "no error";
    } catch (const TemplateError& e) {
        EXPECT_NE(std::string(e.what()).find("unknown placeholder {hostname}"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("{host}"), std::string::npos) << e.what();
    }
    EXPECT_THROW(fill_template("x {nope}", {}), TemplateError);
}

TEST(CommandTemplate, UnbalancedBracesAndEmptyTemplatesAreErrors) {
    EXPECT_THROW(check_template("x {host"), TemplateError);
    EXPECT_THROW(check_template("x host}"), TemplateError);
    EXPECT_THROW(check_template("   "), TemplateError);
    EXPECT_NO_THROW(check_template("x {{host}}"));
}

TEST(CommandTemplate, CheckListsUsedPlaceholdersOnce) {
    EXPECT_EQ(check_template("{host}:{port} {host} {attempt}"), (std::vector<std::string>{"host", "port", "attempt"}));
}

TEST(CommandTemplate, EveryDocumentedPlaceholderIsKnown) {
    for (auto name : {"host", "port", "security", "auth", "from", "to", "to_all", "user", "password", "token", "ca",
                      "servername", "attachment", "subject", "body", "client_cert", "client_key", "source", "scenario",
                      "attempt", "exosim_client", "exosim_client_args"})
        EXPECT_NO_THROW(check_template(std::string("{") + name + "}")) << name;
}

scenario::Scenario sample() {
    return scenario::parse_scenario_yaml(R"(
id: s1
send:
  auth: login
  user: printer@contoso.com
  password: "Pass word'1"
  from: printer@contoso.com
  to: [alice@contoso.com, bob@contoso.com]
  subject: Scan 1
)",
                                         "s1.yaml");
}

// A scenario whose client gets its own token (issue 13: send.auth xoauth2, send.token none).
scenario::Scenario own_token_sample() {
    auto s = sample();
    s.send.auth = "xoauth2";
    s.send.token = "none";
    return s;
}

// Where the Contoso Print Fleet app signs in, for a given authority, listener and flow.
IdentityValues fleet_identity(std::string authority, std::string address, std::string flow) {
    IdentityValues id;
    id.authority = std::move(authority);
    id.identity_address = std::move(address);
    id.client_id = "0d3c5e7a-1b2f-4c6d-8e9a-3f5b7d9c1e33";
    id.oauth_flow = std::move(flow);
    return id;
}

TEST(PlaceholderValues, FromTheScenarioAndTheEndpoint) {
    RunnerOptions o;
    o.ca_file = "/tmp/ca dir/ca.pem";
    o.exosim_client = "/opt/exosim-client";
    auto v = placeholder_values(sample(), Endpoint{"127.0.0.1", 2525, true, ""}, o, 2, "", "tok");
    EXPECT_EQ(v["host"], "127.0.0.1");
    EXPECT_EQ(v["port"], "2525");
    EXPECT_EQ(v["security"], "starttls");
    EXPECT_EQ(v["to"], "alice@contoso.com");
    EXPECT_EQ(v["to_all"], "alice@contoso.com,bob@contoso.com");
    EXPECT_EQ(v["attempt"], "2");
    EXPECT_EQ(v["scenario"], "s1");
    EXPECT_EQ(v["servername"], "127.0.0.1");  // none given: the host the client connects to
    EXPECT_EQ(v["token"], "tok");
    EXPECT_EQ(fill_template("{exosim_client} --ca {ca} --password {password}", v),
              "/opt/exosim-client --ca '/tmp/ca dir/ca.pem' --password 'Pass word'\\''1'");
}

TEST(PlaceholderValues, ReferenceClientArgumentsAreQuotedAndComplete) {
    RunnerOptions o;
    o.ca_file = "/ca.pem";
    o.client_timeout = std::chrono::seconds(3);
    std::string args = reference_client_args(sample(), Endpoint{"127.0.0.1", 2525, true, ""}, o, "", "tok");
    EXPECT_EQ(args,
              "--server 127.0.0.1:2525 --starttls --ca /ca.pem --servername 127.0.0.1 --auth login "
              "--user printer@contoso.com --password 'Pass word'\\''1' --from printer@contoso.com "
              "--to alice@contoso.com --to bob@contoso.com --subject 'Scan 1' --body 'exosim test message' "
              "--retries 0 --timeout 3");
    // Preformatted: inserted as is, not quoted again.
    EXPECT_EQ(fill_template("c {exosim_client_args}", {{"exosim_client_args", args}}), "c " + args);
}

TEST(PlaceholderValues, ServernameFollowsTheListenerCertificateUnlessTheScenarioNamesOne) {
    RunnerOptions o;
    Endpoint e{"127.0.0.1", 2525, true, "smtp.office365.com"};
    EXPECT_EQ(placeholder_values(sample(), e, o, 1, "", "")["servername"], "smtp.office365.com");
    auto s = sample();
    s.send.servername = "mail.example.org";
    EXPECT_EQ(placeholder_values(s, e, o, 1, "", "")["servername"], "mail.example.org");
}

TEST(PlaceholderValues, SourceAddressAndClientCertificate) {
    RunnerOptions o;
    o.client_cert = "/ca/client-contoso.com.pem";
    o.client_key = "/ca/client-contoso.com.key";
    auto s = sample();
    s.send.source_address = "127.0.0.10";
    Endpoint e{"127.0.0.1", 2525, true, ""};
    auto v = placeholder_values(s, e, o, 1, "", "");
    EXPECT_EQ(v["source"], "127.0.0.10");
    EXPECT_EQ(v["client_cert"], "/ca/client-contoso.com.pem");
    std::string args = reference_client_args(s, e, o, "", "");
    EXPECT_EQ(args.rfind("--server 127.0.0.1:2525 --source 127.0.0.10 ", 0), 0u) << args;
    EXPECT_NE(args.find("--cert /ca/client-contoso.com.pem --key /ca/client-contoso.com.key"), std::string::npos) << args;
    EXPECT_EQ(placeholder_values(sample(), e, RunnerOptions{}, 1, "", "")["source"], "");
}

TEST(PlaceholderValues, ReferenceClientRetriesByItselfUpToMaxAttempts) {
    RunnerOptions o;
    auto s = sample();
    s.expect.max_attempts = 3;
    s.send.auth = "xoauth2";
    std::string args = reference_client_args(s, Endpoint{"127.0.0.1", 2525, true, ""}, o, "/tmp/a b.pdf", "tok");
    EXPECT_NE(args.find("--retries 2 --retry-delay-ms 100"), std::string::npos) << args;
    EXPECT_NE(args.find("--auth xoauth2 --user printer@contoso.com --token tok"), std::string::npos) << args;
    EXPECT_EQ(args.find("--password"), std::string::npos) << args;
    EXPECT_NE(args.find("--attach '/tmp/a b.pdf'"), std::string::npos) << args;
}

// issue 13: a client that gets its own token is told where to sign in; {app_cert} is the app
// registration's certificate, {client_cert} stays the relay connector's.
TEST(PlaceholderValues, OauthClientGetsItsOwnToken) {
    RunnerOptions o;
    o.client_cert = "/ca/client-contoso.com.pem";
    const auto s = own_token_sample();
    IdentityValues id = fleet_identity("https://login.microsoftonline.com/e5b2c6f0-3a4d-4c1e-9f7a-2d8b1c0e4a11",
                                       "127.0.0.1:1443", "device-code");
    id.tenant_id = "e5b2c6f0-3a4d-4c1e-9f7a-2d8b1c0e4a11";
    id.scope = "https://outlook.office.com/SMTP.Send offline_access";
    id.token_cache = "/w/s/token-cache.json";
    id.app_cert = "/tls/apps/app.crt.pem";
    const Endpoint e{"127.0.0.1", 2525, true, ""};
    auto v = placeholder_values(s, e, o, 1, "", "", id);
    EXPECT_EQ(v["authority"], id.authority);
    EXPECT_EQ(v["identity_address"], "127.0.0.1:1443");
    EXPECT_EQ(v["scope"], id.scope);
    EXPECT_EQ(v["app_cert"], "/tls/apps/app.crt.pem");
    EXPECT_EQ(v["client_cert"], "/ca/client-contoso.com.pem");
    EXPECT_EQ(v["token"], "");
    const std::string args = reference_client_args(s, e, o, "", "", id);
    EXPECT_NE(args.find("--auth xoauth2 --user printer@contoso.com --oauth device-code --authority "
                        "https://login.microsoftonline.com/e5b2c6f0-3a4d-4c1e-9f7a-2d8b1c0e4a11 --client-id "
                        "0d3c5e7a-1b2f-4c6d-8e9a-3f5b7d9c1e33 --token-cache /w/s/token-cache.json --identity-address "
                        "127.0.0.1:1443"), std::string::npos) << args;
    EXPECT_EQ(args.find("--token "), std::string::npos) << args;
    // Client credentials: the secret, or else the app certificate.
    id.oauth_flow = "client-credentials";
    id.app_key = "/tls/apps/app.key.pem";
    EXPECT_NE(reference_client_args(s, e, o, "", "", id).find("--client-cert /tls/apps/app.crt.pem --client-key /tls/apps/app.key.pem"),
              std::string::npos);
    id.client_secret = "Exosim-Secret-1";
    EXPECT_NE(reference_client_args(s, e, o, "", "", id).find("--client-secret Exosim-Secret-1"), std::string::npos);
    EXPECT_NO_THROW(check_template("{exosim_client} --authority {authority} --cert {app_cert} {app_key} {client_secret} "
                                   "{tenant_id} {identity_address} {scope} {token_cache} {oauth_flow} {ca_file} {client_id}"));
}

// Unattended auth code: the harness hands exosim-client curl as its browser, which follows the
// sign-in service's redirects under Microsoft's name, trusting exosim's CA (no browser needed).
TEST(PlaceholderValues, AuthCodeGetsACurlBrowser) {
    RunnerOptions o;
    o.ca_file = "/d/tls/ca.pem";
    const auto s = own_token_sample();
    IdentityValues id = fleet_identity("https://login.microsoftonline.com/contoso.com", "127.0.0.1:40443", "auth-code");
    const Endpoint e{"127.0.0.1", 2525, true, ""};
    const std::string args = reference_client_args(s, e, o, "", "", id);
    EXPECT_NE(args.find("--identity-address 127.0.0.1:40443 --auth-code-browser 'curl -sS -o /dev/null -L "
                        "--max-redirs 5 --max-time 30 --cacert /d/tls/ca.pem --connect-to "
                        "login.microsoftonline.com:443:127.0.0.1:40443' --from"),
              std::string::npos) << args;
    id.oauth_flow = "device-code";
    EXPECT_EQ(reference_client_args(s, e, o, "", "", id).find("--auth-code-browser"), std::string::npos);
}

}  // namespace
}  // namespace exosim::harness
