// Scenario and suite loading from YAML: the documented example, defaults, and one case per error
// kind with the exact "file:line:column: key: message" text.
#include "scenario/yaml_io.hpp"

#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include "scenario/json_io.hpp"

#include <filesystem>
#include <fstream>

#include <unistd.h>
#include "support/temp_dir.hpp"

namespace exosim::scenario {
namespace {

namespace fs = std::filesystem;

// The example of scenarios/schema/README.md.
constexpr const char* cc04 = R"(id: cc-04-response-injection
title: Response injection after 220 (CC-04)
tags: [CC-04, printer-certification]
endpoint: submission
tenant: {smtp_auth_disabled: "false"}
send: {security: starttls, auth: login, user: printer@contoso.com, password: Printer-Pass-1, from: printer@contoso.com, to: [alice@contoso.com]}
server:
  seed: 7
  capabilities: {remove: [STARTTLS], add: ["XSTARTTLS"], after_tls: ["SIZE 157286400", "AUTH LOGIN"]}
  tls: {certificate: expired, min: "1.2", max: "1.3", starts: true}
  greeting: "554 No SMTP service here"
  rules:
    - on: starttls
      do: {append_raw: "250-evil.example\r\n250 AUTH PLAIN LOGIN\r\n"}
    - on: ehlo
      when: {after_tls: true}
      do: {stall: true}
    - on: rcpt
      when: {recipient: bob@contoso.com, times: 2}
      do: {reply: "451 4.3.0 try later"}
    - on: end_of_data
      when: {attempt: 1}
      do: {close: true, no_reply: true}
expect: {outcome: delivered, max_attempts: 3, rules: {no-plaintext-credentials: pass}}
)";

TEST(YamlIo, LoadsTheDocumentedExample) {
    const Scenario s = parse_scenario_yaml(cc04, "cc04.yaml");
    EXPECT_EQ(s.id, "cc-04-response-injection");
    EXPECT_EQ(s.title, "Response injection after 220 (CC-04)");
    EXPECT_EQ(s.tags, (std::vector<std::string>{"CC-04", "printer-certification"}));
    EXPECT_EQ(s.tenant.at("smtp_auth_disabled"), "false");
    EXPECT_EQ(s.send.user, "printer@contoso.com");
    EXPECT_EQ(s.send.to, std::vector<std::string>{"alice@contoso.com"});
    EXPECT_EQ(s.server.seed, 7u);
    EXPECT_EQ(s.server.capabilities.remove, std::vector<std::string>{"STARTTLS"});
    EXPECT_EQ(s.server.capabilities.after_tls->at(1), "AUTH LOGIN");
    EXPECT_FALSE(s.server.capabilities.before_tls);
    EXPECT_EQ(s.server.tls.certificate, CertificateKind::expired);
    EXPECT_EQ(s.server.tls.min, "1.2");
    EXPECT_EQ(s.server.greeting, "554 No SMTP service here");
    ASSERT_EQ(s.server.rules.size(), 4u);
    EXPECT_EQ(s.server.rules[0].match.step, Step::starttls);
    EXPECT_EQ(s.server.rules[0].action.reply.append_raw, "250-evil.example\r\n250 AUTH PLAIN LOGIN\r\n");
    EXPECT_EQ(s.server.rules[1].match.after_tls, true);
    EXPECT_TRUE(std::holds_alternative<effect::Stall>(s.server.rules[1].action.effect));
    EXPECT_EQ(s.server.rules[2].match.recipient, "bob@contoso.com");
    EXPECT_EQ(s.server.rules[2].match.times, 2u);
    EXPECT_EQ(s.server.rules[2].action.reply.text, "451 4.3.0 try later");
    EXPECT_EQ(s.server.rules[3].match.attempt, 1u);
    EXPECT_TRUE(std::holds_alternative<effect::Close>(s.server.rules[3].action.effect) && s.server.rules[3].action.reply.dropped);
    EXPECT_EQ(s.expect.max_attempts, 3u);
    EXPECT_EQ(s.expect.rules.at("no-plaintext-credentials"), Verdict::pass);
}

TEST(YamlIo, DefaultsAndAlternativeForms) {
    const Scenario s = parse_scenario_yaml(R"(
send: {to: bob@contoso.com}
server:
  rules:
    - on: ehlo
      do:
        reply: ["250-mock.example", "250 AUTH LOGIN"]
        delay: 4min
    - {on: mail, do: {raw_hex: "00ff0d0a", delay: 250}}
    - {on: rcpt, when: {from_nth: 101, probability: 0.5}, do: {reply: "452 4.5.3 Too many recipients", split_every: 1}}
)", "d.yaml", "d");
    EXPECT_EQ(s.id, "d");
    EXPECT_EQ(s.title, "d");
    EXPECT_EQ(s.endpoint, "submission");
    EXPECT_EQ(s.send.to, std::vector<std::string>{"bob@contoso.com"});
    EXPECT_EQ(s.server.seed, 1u);
    EXPECT_TRUE(s.server.tls.starts);
    EXPECT_EQ(s.server.rules[0].action.reply.text, "250-mock.example\n250 AUTH LOGIN");
    EXPECT_EQ(s.server.rules[0].action.reply.delay, std::chrono::minutes(4));
    EXPECT_EQ(s.server.rules[1].action.reply.raw, std::string("\0\xff\r\n", 4));
    EXPECT_EQ(s.server.rules[1].action.reply.delay, std::chrono::milliseconds(250));
    EXPECT_EQ(s.server.rules[2].match.from_nth, 101u);
    EXPECT_EQ(s.server.rules[2].match.probability, 0.5);
    EXPECT_EQ(s.server.rules[2].action.reply.split_every, 1u);
    EXPECT_EQ(s.expect.outcome, Outcome::delivered);
}

TEST(YamlIo, ResetAndHalfCloseEffectsRoundTripThroughJson) {
    const Scenario s = parse_scenario_yaml(R"(
server:
  rules:
    - {on: mail, do: {reset: true, no_reply: true}}
    - {on: rcpt, do: {half_close: true, raw: "250 x\r\n"}}
)", "r.yaml", "r");
    EXPECT_TRUE(std::holds_alternative<effect::Reset>(s.server.rules[0].action.effect));
    EXPECT_TRUE(s.server.rules[0].action.reply.dropped);
    EXPECT_TRUE(std::holds_alternative<effect::HalfClose>(s.server.rules[1].action.effect));
    const auto back = scenario_from_json(to_json(s), "json");
    EXPECT_TRUE(std::holds_alternative<effect::Reset>(back.server.rules[0].action.effect));
    EXPECT_TRUE(std::holds_alternative<effect::HalfClose>(back.server.rules[1].action.effect));
}

TEST(YamlIo, SourceAddressClientCertificateOutcomesAndTlsFloor) {
    const Scenario s = parse_scenario_yaml(R"(
send: {source_address: 127.0.0.66, client_certificate: contoso.com}
expect: {outcome: [not_attempted, delivered], min_attempts: 0, min_tls_version: "1.2"}
)", "n.yaml", "n");
    EXPECT_EQ(s.send.source_address, "127.0.0.66");
    EXPECT_EQ(s.send.client_certificate, "contoso.com");
    EXPECT_EQ(s.expect.outcome, Outcome::not_attempted);
    EXPECT_EQ(s.expect.other_outcomes, std::vector<Outcome>{Outcome::delivered});
    EXPECT_TRUE(s.expect.accepts(Outcome::delivered));
    EXPECT_FALSE(s.expect.accepts(Outcome::rejected));
    EXPECT_EQ(s.expect.min_attempts, 0u);
    EXPECT_EQ(s.expect.min_tls_version, "1.2");
    const Scenario d = parse_scenario_yaml("id: d\n", "d.yaml");
    EXPECT_FALSE(d.send.source_address);
    EXPECT_FALSE(d.send.client_certificate);
    EXPECT_TRUE(d.expect.other_outcomes.empty());
}

// YAML double-quoted escapes: \x00 is NUL; \xff is U+00FF, which raw reads as the byte 0xFF.
TEST(YamlIo, RawEscapesAreBytes) {
    const Scenario s = parse_scenario_yaml("server: {rules: [{on: mail, do: {raw: \"\\x00\\xff\\r\\n\"}}]}", "r.yaml", "r");
    EXPECT_EQ(s.server.rules[0].action.reply.raw, std::string("\0\xff\r\n", 4));
}

struct ErrorCase {
    const char* yaml;
    const char* what;
};

class YamlErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(YamlErrors, NamesFileLineColumnAndKey) {
    try {
        parse_scenario_yaml(GetParam().yaml, "e.yaml", "e");
        FAIL() << "no error for: " << GetParam().yaml;
    } catch (const ScenarioError& e) {
        EXPECT_EQ(std::string(e.what()), GetParam().what);
    }
}

INSTANTIATE_TEST_SUITE_P(
    Table, YamlErrors,
    ::testing::Values(
        ErrorCase{"id: x\ntitel: y\n", "e.yaml:2:1: titel: unknown key (expected one of: id, title, description, endpoint, tenant, tags, server, identity, send, expect)"},
        ErrorCase{"server:\n  greting: \"220 hi\"\n", "e.yaml:2:3: server.greting: unknown key (expected one of: seed, greeting, capabilities, tls, rules)"},
        ErrorCase{"id: x\nid: y\n", "e.yaml:2:1: id: duplicate key"},
        ErrorCase{"- a\n", "e.yaml:1:1: (root): expected a map, found a list"},
        ErrorCase{"tags: x\n", "e.yaml:1:7: tags: expected a list of strings, found a string"},
        ErrorCase{"server: {seed: -1}\n", "e.yaml:1:16: server.seed: expected a whole number, found \"-1\""},
        ErrorCase{"server:\n  rules:\n    - {on: helo2, do: {close: true}}\n",
                  "e.yaml:3:12: server.rules[0].on: unknown step \"helo2\" (expected one of: greeting, ehlo, helo, starttls, auth, mail, rcpt, data, end_of_data, rset, quit, noop, any)"},
        ErrorCase{"server:\n  rules:\n    - {on: mail}\n", "e.yaml:3:7: server.rules[0].do: required key is missing"},
        ErrorCase{"server:\n  rules:\n    - {on: mail, do: {reply: \"OK fine\"}}\n",
                  "e.yaml:3:30: server.rules[0].do.reply: reply line \"OK fine\" does not start with a 3-digit code (use raw for malformed replies)"},
        ErrorCase{"server:\n  rules:\n    - {on: mail, do: {reply: \"999 x\"}}\n",
                  "e.yaml:3:30: server.rules[0].do.reply: reply code 999 is outside 200..599 (use raw for other codes)"},
        ErrorCase{"server:\n  rules:\n    - {on: mail, do: {reply: \"250-A\\n251 B\"}}\n",
                  "e.yaml:3:30: server.rules[0].do.reply: reply code changes from 250 to 251 (use raw for malformed replies)"},
        ErrorCase{"server: {greeting: \"220 a\\r\\n\"}\n",
                  "e.yaml:1:20: server.greeting: reply text must not contain CR (lines are separated by \\n; use raw for exact bytes)"},
        ErrorCase{"server: {tls: {min: \"1.4\"}}\n", "e.yaml:1:21: server.tls.min: \"1.4\" is not a TLS version (expected 1.0, 1.1, 1.2 or 1.3)"},
        ErrorCase{"server: {tls: {min: \"1.3\", max: \"1.2\"}}\n", "e.yaml:1:33: server.tls.max: max is below min 1.3"},
        ErrorCase{"server: {tls: {certificate: revoked}}\n",
                  "e.yaml:1:29: server.tls.certificate: \"revoked\" is not a certificate kind (expected one of: valid, self_signed, unknown_ca, wrong_host, expired, not_yet_valid, missing_intermediate)"},
        ErrorCase{"server: {tls: {starts: yes}}\n", "e.yaml:1:24: server.tls.starts: expected true or false, found \"yes\""},
        ErrorCase{"server: {rules: [{on: mail, when: {probability: 1.5}, do: {close: true}}]}\n",
                  "e.yaml:1:49: server.rules[0].when.probability: must be between 0 and 1, found 1.5"},
        ErrorCase{"server: {rules: [{on: mail, when: {probability: often}, do: {close: true}}]}\n",
                  "e.yaml:1:49: server.rules[0].when.probability: expected a number, found \"often\""},
        ErrorCase{"server: {rules: [{on: mail, when: {recipient: a@b}, do: {close: true}}]}\n",
                  "e.yaml:1:47: server.rules[0].when.recipient: recipient applies only to rules on rcpt"},
        ErrorCase{"server: {rules: [{on: mail, when: {times: 0}, do: {close: true}}]}\n",
                  "e.yaml:1:43: server.rules[0].when.times: must be between 1 and 1000000, found 0"},
        ErrorCase{"server: {rules: [{on: mail, do: {}}]}\n",
                  "e.yaml:1:33: server.rules[0].do: the rule does nothing (give reply, raw, append_raw, split_at, delay, close, stall, reset, half_close, no_reply or tls_alert)"},
        ErrorCase{"server: {rules: [{on: mail, do: {reset: true, half_close: true}}]}\n",
                  "e.yaml:1:33: server.rules[0].do: give one of close, stall, reset and half_close"},
        ErrorCase{"server: {rules: [{on: mail, do: {reset: true, close: true}}]}\n",
                  "e.yaml:1:33: server.rules[0].do: give one of close, stall, reset and half_close"},
        ErrorCase{"server: {rules: [{on: data, do: {tls_alert: internal_error, reset: true}}]}\n",
                  "e.yaml:1:45: server.rules[0].do.tls_alert: tls_alert closes the connection itself: it cannot be combined with close, stall, reset or half_close"},
        ErrorCase{"server: {rules: [{on: mail, do: {stall: true, reply: \"250 x\"}}]}\n",
                  "e.yaml:1:33: server.rules[0].do: stall sends nothing and never closes: it cannot be combined with reply, raw, append_raw, split_at, split_every or close"},
        ErrorCase{"server: {rules: [{on: mail, do: {raw: \"a\", raw_hex: \"61\"}}]}\n",
                  "e.yaml:1:53: server.rules[0].do.raw_hex: give raw or raw_hex, not both"},
        ErrorCase{"server: {rules: [{on: mail, do: {raw: \"\\u0100\"}}]}\n",
                  "e.yaml:1:39: server.rules[0].do.raw: character at offset 0 is not in U+0000..U+00FF, so it is not one byte (write such bytes with raw_hex)"},
        ErrorCase{"server: {rules: [{on: mail, do: {raw_hex: \"0g\"}}]}\n",
                  "e.yaml:1:43: server.rules[0].do.raw_hex: expected a pair of hex digits at offset 0"},
        ErrorCase{"server: {rules: [{on: mail, do: {split_at: [4, 2]}}]}\n",
                  "e.yaml:1:48: server.rules[0].do.split_at[1]: offsets must increase"},
        ErrorCase{"server: {rules: [{on: mail, do: {delay: soon}}]}\n",
                  "e.yaml:1:41: server.rules[0].do.delay: expected a whole number, found \"soon\""},
        ErrorCase{"server: {rules: [{on: auth, do: {reply: \"334 x\"}}]}\n",
                  "e.yaml:1:41: server.rules[0].do.reply: an AUTH challenge (334) cannot be a reply: write it as raw"},
        ErrorCase{"server: {rules: [{on: bdat, do: {close: true}}]}\n",
                  "e.yaml:1:23: server.rules[0].on: BDAT chunks cannot be scripted; the final reply is end_of_data"},
        ErrorCase{"server: {capabilities: {remove: [\"AUTH LOGIN\"]}}\n",
                  "e.yaml:1:34: server.capabilities.remove[0]: expected one keyword (no spaces, CR or LF)"},
        ErrorCase{"send: {security: tls}\n", "e.yaml:1:18: send.security: \"tls\" is not one of: starttls, implicit, none"},
        ErrorCase{"expect: {outcome: sent}\n", "e.yaml:1:19: expect.outcome: \"sent\" is not one of: delivered, rejected, deferred, aborted, not_attempted"},
        ErrorCase{"expect: {outcome: [rejected, sent]}\n", "e.yaml:1:30: expect.outcome: \"sent\" is not one of: delivered, rejected, deferred, aborted, not_attempted"},
        ErrorCase{"expect: {outcome: [rejected, rejected]}\n", "e.yaml:1:30: expect.outcome: \"rejected\" is listed twice"},
        ErrorCase{"expect: {outcome: []}\n", "e.yaml:1:19: expect.outcome: give at least one outcome"},
        ErrorCase{"expect: {min_tls_version: \"1.4\"}\n", "e.yaml:1:27: expect.min_tls_version: \"1.4\" is not one of: 1.0, 1.1, 1.2, 1.3"},
        ErrorCase{"send: {source_address: 10.0.0.1}\n", "e.yaml:1:24: send.source_address: \"10.0.0.1\" is not an IPv4 loopback address (127.0.0.1 .. 127.255.255.254)"},
        ErrorCase{"send: {source_address: 127.0.0.256}\n", "e.yaml:1:24: send.source_address: \"127.0.0.256\" is not an IPv4 loopback address (127.0.0.1 .. 127.255.255.254)"},
        ErrorCase{"send: {source_address: 127.00.0.1}\n", "e.yaml:1:24: send.source_address: \"127.00.0.1\" is not an IPv4 loopback address (127.0.0.1 .. 127.255.255.254)"},
        ErrorCase{"send: {client_certificate: \"contoso com\"}\n", "e.yaml:1:28: send.client_certificate: \"contoso com\" is not a domain name (the certificate's subject, e.g. contoso.com)"},
        ErrorCase{"send: {client_certificate: -contoso.com}\n", "e.yaml:1:28: send.client_certificate: \"-contoso.com\" is not a domain name (the certificate's subject, e.g. contoso.com)"},
        ErrorCase{"expect: {rules: {no-plaintext-credentials: ok}}\n",
                  "e.yaml:1:44: expect.rules.no-plaintext-credentials: \"ok\" is not one of: pass, fail, error, skipped"},
        ErrorCase{"expect: {max_attempts: 2, min_attempts: 3}\n", "e.yaml:1:41: expect.min_attempts: must be between 0 and 2, found 3"},
        ErrorCase{"id: \"a b\"\n", "e.yaml:1:5: id: \"a b\" is not an identifier (letters, digits, - _ .)"},
        ErrorCase{"server: [\n", "e.yaml:2:1: (syntax): end of sequence flow not found"}));

fs::path write_file(const fs::path& p, std::string_view text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p;
}

class SuiteFiles : public ::testing::Test {
protected:
    test::TempDir tmp_{"exosim-suite"};
    fs::path dir_ = tmp_.path();
};

TEST_F(SuiteFiles, ResolvesFilesAndDirectoriesRelativeToTheSuite) {
    write_file(dir_ / "tls" / "b.yaml", "title: B\n");
    write_file(dir_ / "tls" / "a.yaml", "title: A\n");
    write_file(dir_ / "tls" / "notes.txt", "not a scenario\n");
    write_file(dir_ / "one.yaml", "id: first\n");
    const fs::path suite_file = write_file(dir_ / "suites" / "printer-certification.yaml",
                                           "description: for vendors\nscenarios: [../one.yaml, ../tls]\n");
    const Suite suite = load_suite(suite_file);
    EXPECT_EQ(suite.name, "printer-certification");
    ASSERT_EQ(suite.scenario_files.size(), 3u);
    EXPECT_EQ(suite.scenario_files[1], (dir_ / "tls" / "a.yaml").string());
    const auto scenarios = load_suite_scenarios(suite);
    EXPECT_EQ(scenarios[0].id, "first");
    EXPECT_EQ(scenarios[1].id, "a");
    EXPECT_EQ(scenarios[2].title, "B");
    EXPECT_EQ(scenarios[2].source_file, (dir_ / "tls" / "b.yaml").string());
}

TEST_F(SuiteFiles, Errors) {
    const fs::path missing = write_file(dir_ / "s.yaml", "name: s\nscenarios:\n  - nope.yaml\n");
    EXPECT_STREQ(std::string(ScenarioError(missing.string(), 3, 5, "scenarios[0]", "no such scenario file: " + (dir_ / "nope.yaml").string()).what()).c_str(),
                 [&] { try { load_suite(missing); } catch (const ScenarioError& e) { return std::string(e.what()); } return std::string(); }().c_str());
    write_file(dir_ / "x" / "one.yaml", "id: same\n");
    write_file(dir_ / "x" / "two.yaml", "id: same\n");
    const Suite dup = load_suite(write_file(dir_ / "d.yaml", "scenarios: [x]\n"));
    try {
        load_suite_scenarios(dup);
        FAIL();
    } catch (const ScenarioError& e) {
        EXPECT_EQ(std::string(e.what()), (dir_ / "x" / "two.yaml").string() + ": id: scenario id \"same\" is used twice in suite d");
    }
    try {
        load_scenario(dir_ / "absent.yaml");
        FAIL();
    } catch (const ScenarioError& e) {
        EXPECT_EQ(std::string(e.what()), (dir_ / "absent.yaml").string() + ": (file): cannot open the file");
    }
}

TEST_F(SuiteFiles, ScenarioErrorsCarryTheFileName) {
    const fs::path bad = write_file(dir_ / "bad.yaml", "id: ok\nserver:\n  rules:\n    - on: rcpt\n      do: {reply: \"45 try\"}\n");
    try {
        load_scenario(bad);
        FAIL();
    } catch (const ScenarioError& e) {
        EXPECT_EQ(std::string(e.what()), bad.string() + ":5:19: server.rules[0].do.reply: reply line \"45 try\" does not start with a 3-digit code (use raw for malformed replies)");
        EXPECT_EQ(e.line(), 5);
        EXPECT_EQ(e.key_path(), "server.rules[0].do.reply");
    }
}

TEST(YamlIo, TlsAlertDecodesOnDataOnlyAndRoundTripsAsJson) {
    const Scenario s = parse_scenario_yaml("id: a\nserver: {rules: [{on: data, do: {tls_alert: internal_error}}]}\n", "a.yaml");
    ASSERT_TRUE(std::holds_alternative<effect::TlsAlert>(s.server.rules[0].action.effect));
    EXPECT_EQ(boost::json::serialize(to_json(s.server).as_object().at("rules")),
              R"([{"on":"data","do":{"tls_alert":"internal_error"}}])");
    auto error_of = [](const char* yaml) {
        try {
            parse_scenario_yaml(yaml, "e.yaml");
        } catch (const ScenarioError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(error_of("id: e\nserver: {rules: [{on: rcpt, do: {tls_alert: internal_error}}]}\n").find("tls_alert applies only to rules on data"), std::string::npos);
    EXPECT_NE(error_of("id: e\nserver: {rules: [{on: data, do: {tls_alert: bad_record_mac}}]}\n").find("is not a TLS alert"), std::string::npos);
    EXPECT_NE(error_of("id: e\nserver: {rules: [{on: data, do: {tls_alert: internal_error, close: true}}]}\n").find("cannot be combined with close"), std::string::npos);
}

}  // namespace
}  // namespace exosim::scenario
