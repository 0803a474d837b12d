// The scenario model as JSON: round trip through the writer, the same validation as YAML, and
// errors naming the JSON key path.
#include "scenario/json_io.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "scenario/scenario_error.hpp"
#include "scenario/yaml_io.hpp"

namespace exosim::scenario {
namespace {

namespace json = boost::json;

constexpr const char* full = R"(id: full
title: Everything
description: every field set
endpoint: mx
tenant: {smtp_auth_disabled: "true", security_defaults: false}
tags: [CC-13]
send: {security: implicit, auth: xoauth2, user: u, password: p, from: a@contoso.com, to: [b@contoso.com, c@contoso.com], subject: s, body: b, attachment: "generated:pdf", servername: smtp.office365.com, source_address: 127.0.0.10, client_certificate: contoso.com}
server:
  seed: 18446744073709551615
  greeting: "220-multi\n220 line"
  capabilities: {before_tls: [STARTTLS], after_tls: ["AUTH XOAUTH2"], remove: [PIPELINING], add: [XSTARTTLS]}
  tls: {min: "1.0", max: "1.1", ciphers: "DEFAULT@SECLEVEL=0", certificate: missing_intermediate, starts: false}
  rules:
    - {on: mail, when: {attempt: 2, nth: 3, times: 4, probability: 0.25, after_tls: false}, do: {raw: "\x00\xff\r\n", append_raw: "x", split_at: [1, 2], delay: 1500, close: true}}
    - {on: rcpt, when: {recipient: b@contoso.com, from_nth: 2}, do: {reply: "452 4.5.3 Too many recipients", split_every: 3}}
    - {on: any, do: {stall: true}}
    - {on: end_of_data, do: {no_reply: true, close: true}}
expect: {outcome: [deferred, rejected], max_attempts: 4, min_attempts: 2, min_tls_version: "1.2", rules: {retry-after-4xx: pass, stops-after-5xx: fail}}
)";

TEST(JsonIo, RoundTripKeepsEveryField) {
    const Scenario s = parse_scenario_yaml(full, "full.yaml");
    const json::value first = to_json(s);
    const Scenario back = scenario_from_json(first, "api");
    EXPECT_EQ(back.source_file, "api");
    EXPECT_EQ(to_json(back), first);
    EXPECT_EQ(back.server.rules[0].action.reply.raw, std::string("\0\xff\r\n", 4));
    EXPECT_EQ(back.server.seed, UINT64_MAX);
    EXPECT_EQ(back.tenant.at("security_defaults"), "false");
    // Through text as well: the control API receives bytes.
    EXPECT_EQ(to_json(parse_scenario_json(json::serialize(first), "api")), first);
}

TEST(JsonIo, WritesTheYamlKeys) {
    const json::value v = to_json(parse_scenario_yaml(full, "full.yaml"));
    EXPECT_EQ(v.at("send").at("source_address"), "127.0.0.10");
    EXPECT_EQ(v.at("send").at("client_certificate"), "contoso.com");
    EXPECT_EQ(v.at("expect").at("outcome"), (json::array{"deferred", "rejected"}));
    EXPECT_EQ(v.at("expect").at("min_tls_version"), "1.2");
    // One outcome stays a plain string; unset optional keys are left out.
    const json::value one = to_json(parse_scenario_yaml("expect: {outcome: rejected}\n", "o.yaml", "o"));
    EXPECT_EQ(one.at("expect").at("outcome"), "rejected");
    EXPECT_FALSE(one.at("expect").as_object().contains("min_tls_version"));
    EXPECT_FALSE(one.at("send").as_object().contains("source_address"));
    const json::object& rule = v.at("server").at("rules").at(1).as_object();
    EXPECT_EQ(rule.at("on"), "rcpt");
    EXPECT_EQ(rule.at("when").at("recipient"), "b@contoso.com");
    EXPECT_EQ(rule.at("do").at("reply"), "452 4.5.3 Too many recipients");
    EXPECT_EQ(v.at("server").at("rules").at(0).at("do").at("raw").as_string(), json::string_view("\0\xc3\xbf\r\n", 5));
}

struct ErrorCase {
    const char* json;
    const char* what;
};

class JsonErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(JsonErrors, NameTheKeyPath) {
    try {
        parse_scenario_json(GetParam().json, "request body");
        FAIL() << "no error for: " << GetParam().json;
    } catch (const ScenarioError& e) {
        EXPECT_EQ(std::string(e.what()), GetParam().what);
    }
}

INSTANTIATE_TEST_SUITE_P(
    Table, JsonErrors,
    ::testing::Values(
        ErrorCase{R"({"title": "no id"})", "request body: id: required key is missing"},
        ErrorCase{R"({"id": "x", "sever": {}})", "request body: sever: unknown key (expected one of: id, title, description, endpoint, tenant, tags, server, identity, send, expect)"},
        ErrorCase{R"({"id": "x", "server": {"seed": "7"}})", "request body: server.seed: expected a whole number, found a string"},
        ErrorCase{R"({"id": "x", "server": {"tls": {"starts": "true"}}})", "request body: server.tls.starts: expected true or false, found \"true\""},
        ErrorCase{R"({"id": "x", "server": {"tls": {"min": 1.2}}})", "request body: server.tls.min: write the TLS version as a string (\"1.2\")"},
        ErrorCase{R"({"id": "x", "server": {"rules": [{"on": "rcpt", "do": {"reply": "45 x"}}]}})",
                  "request body: server.rules[0].do.reply: reply line \"45 x\" does not start with a 3-digit code (use raw for malformed replies)"},
        ErrorCase{R"({"id": "x", "server": {"rules": [{"on": "rcpt", "when": {"probability": -0.5}, "do": {"close": true}}]}})",
                  "request body: server.rules[0].when.probability: must be between 0 and 1, found -0.5"},
        ErrorCase{R"({"id": 5})", "request body: id: expected a string, found a number"},
        ErrorCase{R"({"id": "x",)", "request body: (syntax): incomplete JSON"}));

// A POST body cut short at every byte: a ScenarioError (the API's 400) or, at the very end, the
// scenario; never another exception.
TEST(JsonIo, BodyCutAtEveryByteIsAScenarioErrorNeverACrash) {
    const std::string body = json::serialize(to_json(parse_scenario_yaml(full, "full.yaml", "full")));
    for (std::size_t cut = 0; cut < body.size(); ++cut) {
        EXPECT_THROW(parse_scenario_json(body.substr(0, cut), "request body"), ScenarioError) << cut;
    }
    EXPECT_EQ(parse_scenario_json(body, "request body").id, "full");
}

}  // namespace
}  // namespace exosim::scenario
