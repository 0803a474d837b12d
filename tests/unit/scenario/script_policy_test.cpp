// ScriptPolicy as a decorator: capabilities, decisions from scripted replies, and what it queues
// for ReplyScript.
#include "scenario/script_policy.hpp"

#include <gtest/gtest.h>

#include "scripted_wire.hpp"

namespace exosim::scenario {
namespace {

using core::Decision;
using testing::rfc_inner;
using testing::scenario_from_yaml;

struct Policy {
    explicit Policy(std::string_view yaml)
        : scenario(scenario_from_yaml(yaml)), cursor(std::make_shared<Cursor>(scenario)),
          policy(rfc_inner(), scenario, cursor) {}
    std::shared_ptr<const Scenario> scenario;
    std::shared_ptr<Cursor> cursor;
    ScriptPolicy policy;
    core::SessionState state;
};

TEST(ScriptPolicy, RemoveIsWholeTokenAndCaseInsensitive) {
    Policy p(R"(server: {capabilities: {before_tls: [XSTARTTLS, STARTTLSX, starttls, "STARTTLS extra", X-STARTTLS], remove: [StartTLS], add: ["AUTH=LOGIN PLAIN"]}})");
    EXPECT_EQ(p.policy.capabilities(p.state).lines,
              (std::vector<std::string>{"XSTARTTLS", "STARTTLSX", "X-STARTTLS", "AUTH=LOGIN PLAIN"}));
}

TEST(ScriptPolicy, AfterTlsListAppliesInsideTls) {
    Policy p(R"(server: {capabilities: {after_tls: ["AUTH XOAUTH2", STARTTLS]}})");
    p.state.tls.version = core::TlsVersion::tls1_2;
    EXPECT_EQ(p.policy.capabilities(p.state).lines, (std::vector<std::string>{"AUTH XOAUTH2", "STARTTLS"}));  // CC-30
    p.state.tls.version = core::TlsVersion::none;
    EXPECT_TRUE(p.policy.capabilities(p.state).has("PIPELINING"));  // the profile's list before TLS
}

TEST(ScriptPolicy, DecisionFromReplyCode) {
    EXPECT_EQ(decision_for(core::Reply(250, "ok"), false).kind, Decision::Kind::proceed);
    EXPECT_EQ(decision_for(core::Reply(354, "go"), false).kind, Decision::Kind::proceed);
    EXPECT_EQ(decision_for(core::Reply(451, "later"), false).kind, Decision::Kind::reject);
    EXPECT_EQ(decision_for(core::Reply(554, "no"), false).kind, Decision::Kind::reject);
    EXPECT_TRUE(decision_for(core::Reply(421, "bye"), true).close);
    EXPECT_FALSE(decision_for(core::Reply(421, "bye"), false).close);  // never read from the code
    EXPECT_TRUE(decision_for(core::Reply(250, "ok then bye"), true).close);
    EXPECT_FALSE(decision_for(core::Reply(554, "no"), false).close);
}

TEST(ScriptPolicy, GreetingRuleWinsOverGreetingField) {
    Policy p(R"(server: {greeting: "554 go away", rules: [{on: greeting, when: {attempt: 2}, do: {reply: "220 welcome back"}}]})");
    EXPECT_EQ(p.policy.on_connect(p.state).reply->render(), "554 go away\r\n");
    ScriptPolicy second(rfc_inner(), p.scenario, p.cursor);
    EXPECT_EQ(second.attempt(), 2u);
    const Decision d = second.on_connect(p.state);
    EXPECT_EQ(d.kind, Decision::Kind::proceed);
    EXPECT_EQ(d.reply->render(), "220 welcome back\r\n");
}

TEST(ScriptPolicy, QueuesWhatADecisionCannotCarry) {
    Policy p(R"(server: {rules: [{on: mail, do: {reply: "250 fine", append_raw: "X"}}, {on: data, do: {reply: "354 go"}}]})");
    core::Path from;
    EXPECT_EQ(p.policy.on_mail(p.state, from, {}).reply->render(), "250 fine\r\n");
    const auto& pending = p.policy.session()->pending;
    ASSERT_EQ(pending.size(), 1u);
    EXPECT_EQ(pending.front().step, Step::mail);
    EXPECT_EQ(pending.front().reply, core::Reply(250, "fine"));
    EXPECT_EQ(pending.front().action->reply.append_raw, "X");
    p.policy.on_data(p.state);
    ASSERT_EQ(pending.size(), 2u);  // every occurrence is recorded, to pair replies in order
    EXPECT_FALSE(pending.back().action);  // a plain reply needs no rewriting
    p.policy.protocol_error(p.state, core::ProtocolError::syntax);
    EXPECT_FALSE(pending.back().step);
}

TEST(ScriptPolicy, RecordsNothingWhenNoRuleRewrites) {
    Policy p(R"(server: {rules: [{on: mail, do: {reply: "250 fine"}}]})");
    core::Path from;
    p.policy.on_mail(p.state, from, {});
    EXPECT_TRUE(p.policy.session()->pending.empty());
}

TEST(ScriptPolicy, StarttlsThatNeverStartsIsAnsweredButRejected) {
    Policy p("server: {tls: {starts: false}, rules: [{on: starttls, when: {nth: 2}, do: {reply: \"220 sure\"}}]}");
    Decision d = p.policy.on_starttls(p.state);
    EXPECT_EQ(d.kind, Decision::Kind::reject);
    EXPECT_EQ(d.reply->render(), "220 2.0.0 SMTP server ready\r\n");
    d = p.policy.on_starttls(p.state);
    EXPECT_EQ(d.kind, Decision::Kind::reject);
    EXPECT_EQ(d.reply->render(), "220 sure\r\n");
}

TEST(ScriptPolicy, EndOfDataSuccessIsGivenAfterStorage) {
    Policy p("server: {rules: [{on: end_of_data, do: {reply: \"250 2.6.0 kept\"}}]}");
    EXPECT_EQ(p.policy.on_message(p.state, "x").kind, Decision::Kind::proceed);
    EXPECT_EQ(p.policy.message_accepted(p.state, "x", "id").render(), "250 2.6.0 kept\r\n");
    EXPECT_EQ(p.policy.message_accepted(p.state, "x", "id").render(), "250 2.0.0 OK queued as id\r\n");
}

TEST(ScriptPolicy, NoopReply) {
    Policy p("server: {rules: [{on: noop, do: {reply: \"299 odd\"}}]}");
    EXPECT_EQ(p.policy.noop(p.state).render(), "299 odd\r\n");
}

}  // namespace
}  // namespace exosim::scenario
