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

}  // namespace
}  // namespace exosim::harness
