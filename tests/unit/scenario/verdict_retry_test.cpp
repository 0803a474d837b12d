// Retries after temporary failures, backoff, and the informational timeout rule.
#include "verdict_trace_builder.hpp"

namespace exosim::scenario {
namespace {

using namespace std::chrono_literals;
using test::quoted;
using test::rule;
using test::scenario;
using test::TraceBuilder;

// `n` attempts that get 451 after the dot, then (optionally) one that is accepted.
TraceBuilder attempts(int deferred, bool then_ok) {
    TraceBuilder b;
    for (int i = 0; i < deferred; ++i) {
        if (i > 0) b.next_connection();
        b.up_to_tls_ehlo().auth_login().message(test::good_body(), "451 4.3.0 temporary\r\n").quit();
    }
    if (then_ok) b.next_connection().good();
    return b;
}

TEST(VerdictRetry, RetriesWithGrowingBackoff) {
    Scenario s = scenario();
    s.expect.max_attempts = 3;
    s.expect.min_attempts = 2;
    JudgeOptions o;
    o.connection_starts = {0ms, 10000ms, 40000ms};
    const Findings f = judge(s, attempts(2, true), o);
    EXPECT_RULE(f, "retries-after-4xx-bounded", pass);
    EXPECT_EQ(f.outcome, Outcome::delivered);
    EXPECT_EQ(f.attempts, 3u);
    EXPECT_TRUE(quoted(rule(f, "retries-after-4xx-bounded"), "451 4.3.0 temporary"));
}

TEST(VerdictRetry, TooManyAttemptsFail) {
    Scenario s = scenario();
    s.expect.max_attempts = 3;
    s.expect.outcome = Outcome::deferred;
    const Findings f = judge(s, attempts(4, false));
    EXPECT_RULE(f, "retries-after-4xx-bounded", fail);
    EXPECT_EQ(rule(f, "retries-after-4xx-bounded").message, "4 attempts, at most 3 allowed");
}

TEST(VerdictRetry, ShrinkingOrZeroBackoffFails) {
    Scenario s = scenario();
    s.expect.max_attempts = 3;
    JudgeOptions o;
    o.connection_starts = {0ms, 30000ms, 31000ms};
    const Findings f = judge(s, attempts(2, true), o);
    EXPECT_RULE(f, "retries-after-4xx-bounded", fail);
    EXPECT_NE(rule(f, "retries-after-4xx-bounded").message.find("shorter than the one before"), std::string::npos);
}

TEST(VerdictRetry, NoRetryWhenOneWasExpectedFails) {
    // CC-26: 432 on connect must lead to a retry.
    Scenario s = scenario();
    s.expect.max_attempts = 3;
    s.expect.min_attempts = 2;
    s.expect.outcome = Outcome::deferred;
    const Trace t = TraceBuilder().S("432 4.3.2 Concurrent connections limit exceeded\r\n").quit();
    const Findings f = judge(s, t);
    EXPECT_RULE(f, "retries-after-4xx-bounded", fail);
    EXPECT_TRUE(quoted(rule(f, "retries-after-4xx-bounded"), "432 4.3.2"));
    EXPECT_EQ(f.outcome, Outcome::deferred);
    EXPECT_RULE(judge(scenario(), TraceBuilder().good()), "retries-after-4xx-bounded", skipped);
}

TEST(VerdictRetry, TimeoutsAreInformational) {
    // CC-22: the reply to the dot is delayed; the client gives up after 60 s.
    TraceBuilder b;
    b.up_to_tls_ehlo().auth_login().message(test::good_body(), "").wait(60000).client_closed();
    Scenario s = scenario();
    s.expect.outcome = Outcome::aborted;
    const Findings f = judge(s, b);
    EXPECT_RULE(f, "timeouts", pass);
    EXPECT_EQ(rule(f, "timeouts").severity, Severity::warning);
    EXPECT_NE(rule(f, "timeouts").message.find("for the reply to end of data (RFC 5321 4.5.3.2: 600.000s (10 min))"), std::string::npos)
        << rule(f, "timeouts").message;
    EXPECT_EQ(f.verdict, Verdict::pass);
    EXPECT_RULE(judge(scenario(), TraceBuilder().good()), "timeouts", skipped);
}

}  // namespace
}  // namespace exosim::scenario
