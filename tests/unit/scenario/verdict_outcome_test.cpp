// Outcome and how rule verdicts combine into the scenario verdict.
#include "scenario/results.hpp"
#include "verdict_trace_builder.hpp"

namespace exosim::scenario {
namespace {

using test::rule;
using test::scenario;
using test::TraceBuilder;

Outcome outcome_of(const Trace& t) { return judge(scenario(), t).outcome; }

TEST(VerdictOutcome, FromTheWire) {
    EXPECT_EQ(outcome_of(TraceBuilder().good()), Outcome::delivered);
    TraceBuilder rejected, deferred, lost, gave_up;
    rejected.up_to_tls_ehlo().auth_login().message(test::good_body(), "554 5.6.0 content rejected\r\n").quit();
    deferred.up_to_tls_ehlo().auth_login().message(test::good_body(), "451 4.3.0 later\r\n").quit();
    lost.up_to_tls_ehlo().auth_login().message(test::good_body(), "").server_closed();
    gave_up.up_to_tls_ehlo().auth_login().message(test::good_body(), "").client_closed();
    EXPECT_EQ(outcome_of(rejected), Outcome::rejected);
    EXPECT_EQ(outcome_of(deferred), Outcome::deferred);
    EXPECT_EQ(outcome_of(lost), Outcome::deferred);  // RFC 5321 4.5.3.2.6
    EXPECT_EQ(outcome_of(gave_up), Outcome::aborted);
    EXPECT_EQ(outcome_of(TraceBuilder().S("220 x\r\n").C("EHLO c\r\n").S("250 x\r\n").quit()), Outcome::aborted);
}

TEST(VerdictOutcome, MismatchFailsTheScenario) {
    Scenario s = scenario();
    s.expect.outcome = Outcome::rejected;
    const Findings f = judge(s, TraceBuilder().good());
    EXPECT_EQ(f.verdict, Verdict::fail);
    EXPECT_RULE(f, "outcome", fail);
    EXPECT_EQ(rule(f, "outcome").message, "outcome delivered, expected rejected");
}

TEST(VerdictOutcome, ForcedRuleExpectationsForADeliberatelyBadClient) {
    // A scenario that proves the harness catches AUTH before STARTTLS expects the rule to fail.
    const Trace bad = TraceBuilder().S("220 mock\r\n").C("EHLO c\r\n").S("250-mock\r\n250-STARTTLS\r\n250 AUTH LOGIN\r\n")
                          .auth_login().quit();
    Scenario s = scenario();
    s.expect.outcome = Outcome::aborted;
    s.expect.rules = {{"no-plaintext-credentials", Verdict::fail}, {"starttls-before-credentials", Verdict::fail}};
    const Findings f = judge(s, bad);
    EXPECT_EQ(f.verdict, Verdict::pass);
    EXPECT_EQ(rule(f, "no-plaintext-credentials").expected, Verdict::fail);
    // The same expectation against a good client: the rule passed, so the scenario fails.
    s.expect.outcome = Outcome::delivered;
    EXPECT_EQ(judge(s, TraceBuilder().good()).verdict, Verdict::fail);
}

TEST(VerdictOutcome, HarnessErrors) {
    const Findings none = judge(scenario(), Trace{});
    EXPECT_EQ(none.verdict, Verdict::error);
    EXPECT_EQ(none.error, "no connection was recorded");
    Scenario s = scenario();
    s.expect.rules = {{"no-such-rule", Verdict::pass}};
    const Findings unknown = judge(s, TraceBuilder().good());
    EXPECT_EQ(unknown.verdict, Verdict::error);
    EXPECT_NE(unknown.error.find("no-such-rule"), std::string::npos);
}

TEST(VerdictOutcome, CatalogueIsComplete) {
    const Findings f = judge(scenario(), TraceBuilder().good());
    ASSERT_EQ(f.rules.size(), rule_catalogue().size() + 1);
    for (const RuleInfo& r : rule_catalogue()) EXPECT_NE(f.find(r.id), nullptr) << r.id;
}

// RFC 2920 3.1: MAIL, RCPT and DATA in one write; MAIL gets a 4xx, the rest 503. The 503s only
// echo the MAIL failure: the connection is deferred, so the retry rule applies.
TEST(VerdictOutcome, PipelinedBadSequenceEchoesTheEarlierFailure) {
    const std::string batch = "MAIL FROM:<a@contoso.com>\r\nRCPT TO:<b@contoso.com>\r\nDATA\r\n";
    const Trace mail_4xx = TraceBuilder().up_to_tls_ehlo().auth_login().C(batch)
                               .S("432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded\r\n"
                                  "503 5.5.1 Bad sequence of commands\r\n503 5.5.1 Bad sequence of commands\r\n").quit();
    EXPECT_EQ(outcome_of(mail_4xx), Outcome::deferred);
    const Trace mail_5xx = TraceBuilder().up_to_tls_ehlo().auth_login().C(batch)
                               .S("530 5.7.57 Client not authenticated\r\n503 5.5.1 Bad sequence\r\n503 5.5.1 Bad sequence\r\n").quit();
    EXPECT_EQ(outcome_of(mail_5xx), Outcome::rejected);
    // Every RCPT deferred: DATA's 503 echoes them.
    const Trace rcpt_4xx = TraceBuilder().up_to_tls_ehlo().auth_login().C(batch)
                               .S("250 2.1.0 Sender OK\r\n452 4.5.3 Too many recipients\r\n503 5.5.1 Bad sequence\r\n").quit();
    EXPECT_EQ(outcome_of(rcpt_4xx), Outcome::deferred);
    // A 503 with nothing failed before it is the server's word: rejected.
    const Trace plain_503 = TraceBuilder().up_to_tls_ehlo().auth_login().C(batch)
                                .S("250 2.1.0 Sender OK\r\n250 2.1.5 OK\r\n503 5.5.1 Bad sequence\r\n").quit();
    EXPECT_EQ(outcome_of(plain_503), Outcome::rejected);
}

TEST(VerdictOutcome, SeveralAcceptedOutcomes) {
    Scenario s = scenario();
    s.expect.outcome = Outcome::rejected;
    s.expect.other_outcomes = {Outcome::delivered};
    const Findings f = judge(s, TraceBuilder().good());
    EXPECT_EQ(f.verdict, Verdict::pass);
    EXPECT_EQ(f.expected_outcome, Outcome::delivered);  // the accepted outcome that matched
    EXPECT_EQ(make_run_result(s, TraceBuilder().good(), f).expected_outcome, Outcome::delivered);
    TraceBuilder gave_up;
    gave_up.up_to_tls_ehlo().client_closed();
    const Findings g = judge(s, gave_up);
    EXPECT_EQ(g.verdict, Verdict::fail);
    EXPECT_EQ(g.expected_outcome, Outcome::rejected);
    EXPECT_EQ(rule(g, "outcome").message, "outcome aborted, expected rejected or delivered");
}

// CC-24: a client that refuses the job locally never connects; with min_attempts 0 that is judged,
// not a harness error.
TEST(VerdictOutcome, NoConnectionIsNotAttemptedWhenAllowed) {
    Scenario s = scenario();
    s.expect.min_attempts = 0;
    s.expect.outcome = Outcome::not_attempted;
    s.expect.other_outcomes = {Outcome::delivered};
    const Findings none = judge(s, Trace{});
    EXPECT_EQ(none.error, "");
    EXPECT_EQ(none.outcome, Outcome::not_attempted);
    EXPECT_EQ(none.verdict, Verdict::pass);
    EXPECT_EQ(judge(s, TraceBuilder().good()).verdict, Verdict::pass);
    // A rule expected to pass has nothing to judge without a connection: skipped is as expected.
    s.expect.rules = {{"crlf-only", Verdict::pass}};
    const Findings refused = judge(s, Trace{});
    EXPECT_RULE(refused, "crlf-only", skipped);
    EXPECT_EQ(refused.verdict, Verdict::pass);
    EXPECT_EQ(judge(s, TraceBuilder().good()).verdict, Verdict::pass);
    s.expect.rules.clear();
    s.expect.other_outcomes.clear();
    s.expect.outcome = Outcome::delivered;
    EXPECT_EQ(judge(s, Trace{}).verdict, Verdict::fail);  // not connecting is judged, and wrong here
    EXPECT_EQ(outcome_name(Outcome::not_attempted), "not_attempted");
    EXPECT_EQ(outcome_from_name("not_attempted"), Outcome::not_attempted);
}

}  // namespace
}  // namespace exosim::scenario
