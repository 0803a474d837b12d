// Rule matching over the run's counters: nth, from_nth, times, attempt, recipient, after_tls, and
// seeded probability (same seed, same faults).
#include "scenario/cursor.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "scenario/yaml_io.hpp"

namespace exosim::scenario {
namespace {

std::shared_ptr<const Scenario> scenario(std::string_view yaml) {
    return std::make_shared<const Scenario>(parse_scenario_yaml(yaml, "c.yaml", "c"));
}

std::optional<std::size_t> rcpt(Cursor& c, unsigned attempt, std::string_view to = "x@contoso.com", bool tls = false) {
    return c.match({Step::rcpt, attempt, to, tls});
}

TEST(Cursor, TimesThenFallThrough) {
    Cursor c(scenario("server: {rules: [{on: rcpt, when: {times: 2}, do: {reply: \"451 4.3.0 later\"}}, {on: any, do: {delay: 1}}]}"));
    EXPECT_EQ(rcpt(c, 1), 0u);
    EXPECT_EQ(rcpt(c, 1), 0u);
    EXPECT_EQ(rcpt(c, 2), 1u);  // the any-rule catches what the used-up rule no longer does
    EXPECT_EQ(c.uses(0), 2u);
    EXPECT_EQ(c.uses(1), 1u);
    EXPECT_EQ(c.occurrences(Step::rcpt), 3u);
}

TEST(Cursor, NthAndFromNthCountPerStepAcrossTheRun) {
    Cursor c(scenario("server: {rules: [{on: rcpt, when: {nth: 2}, do: {close: true}}, {on: rcpt, when: {from_nth: 4}, do: {stall: true}}]}"));
    EXPECT_EQ(c.match({Step::mail, 1, {}, false}), std::nullopt);  // other steps do not count
    EXPECT_EQ(rcpt(c, 1), std::nullopt);
    EXPECT_EQ(rcpt(c, 2), 0u);
    EXPECT_EQ(rcpt(c, 2), std::nullopt);
    EXPECT_EQ(rcpt(c, 2), 1u);
    EXPECT_EQ(rcpt(c, 3), 1u);
}

TEST(Cursor, AttemptRecipientAndTls) {
    Cursor c(scenario(R"(server: {rules: [
        {on: rcpt, when: {attempt: 2, recipient: "<Bob@Contoso.com>"}, do: {close: true}},
        {on: ehlo, when: {after_tls: true}, do: {stall: true}}]})"));
    EXPECT_EQ(c.begin_connection(), 1u);
    EXPECT_EQ(c.begin_connection(), 2u);
    EXPECT_EQ(rcpt(c, 1, "bob@contoso.com"), std::nullopt);
    EXPECT_EQ(rcpt(c, 2, "alice@contoso.com"), std::nullopt);
    EXPECT_EQ(rcpt(c, 2, "bob@CONTOSO.com"), 0u);
    EXPECT_EQ(c.match({Step::ehlo, 1, {}, false}), std::nullopt);
    EXPECT_EQ(c.match({Step::ehlo, 1, {}, true}), 1u);
}

std::vector<bool> faults(std::uint64_t seed, unsigned attempt, int n) {
    Cursor c(scenario("server: {seed: " + std::to_string(seed) +
                      ", rules: [{on: mail, when: {probability: 0.5}, do: {reply: \"451 4.3.0 random\"}}]}"));
    std::vector<bool> out;
    for (int i = 0; i < n; ++i) out.push_back(c.match({Step::mail, attempt, {}, false}).has_value());
    return out;
}

TEST(Cursor, SameSeedSameFaults) {
    EXPECT_EQ(faults(7, 1, 64), faults(7, 1, 64));
    EXPECT_NE(faults(7, 1, 64), faults(8, 1, 64));
    EXPECT_NE(faults(7, 1, 64), faults(7, 2, 64));  // each attempt draws its own sequence
    const auto v = faults(7, 1, 1000);
    const auto hits = std::count(v.begin(), v.end(), true);
    EXPECT_GT(hits, 400);
    EXPECT_LT(hits, 600);
}

TEST(Cursor, ProbabilityBounds) {
    Cursor never(scenario("server: {rules: [{on: mail, when: {probability: 0}, do: {close: true}}]}"));
    Cursor always(scenario("server: {rules: [{on: mail, when: {probability: 1}, do: {close: true}}]}"));
    for (int i = 0; i < 100; ++i) {
        EXPECT_FALSE(never.match({Step::mail, 1, {}, false}));
        EXPECT_TRUE(always.match({Step::mail, 1, {}, false}));
    }
}

// Interleaved attempts do not disturb each other's random sequence.
TEST(Cursor, AttemptSequencesAreIndependent) {
    Cursor c(scenario("server: {seed: 3, rules: [{on: mail, when: {probability: 0.5}, do: {close: true}}]}"));
    std::vector<bool> one;
    for (int i = 0; i < 32; ++i) {
        one.push_back(c.match({Step::mail, 1, {}, false}).has_value());
        c.match({Step::mail, 2, {}, false});
    }
    EXPECT_EQ(one, faults(3, 1, 32));
}

TEST(Cursor, SharedByConcurrentConnections) {
    Cursor c(scenario("server: {rules: [{on: rcpt, when: {times: 1000}, do: {close: true}}]}"));
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            const unsigned attempt = c.begin_connection();
            for (int i = 0; i < 500; ++i) rcpt(c, attempt);
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(c.connections(), 4u);
    EXPECT_EQ(c.uses(0), 1000u);
    EXPECT_EQ(c.occurrences(Step::rcpt), 2000u);
}

}  // namespace
}  // namespace exosim::scenario
