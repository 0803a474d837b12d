#include "harness/scenario_cost.hpp"

#include <gtest/gtest.h>

namespace exosim::harness {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

scenario::Scenario with_rule(scenario::Action action) {
    scenario::Scenario s;
    s.id = "x";
    s.server.rules.push_back({{}, std::move(action)});
    return s;
}

const CostHints hints{seconds(5), milliseconds(200), [](const std::string& l) { return l == "implicit"; }};

TEST(ScenarioCost, WaitingOutTheClientsTimeoutCostsIt) {
    const milliseconds plain = estimated_duration(scenario::Scenario{}, hints);
    EXPECT_EQ(plain, milliseconds(100));
    scenario::Action stall;
    stall.effect = scenario::effect::Stall{};
    EXPECT_EQ(estimated_duration(with_rule(stall), hints), plain + seconds(5));
    scenario::Action swallowed;
    swallowed.reply.dropped = true;
    EXPECT_EQ(estimated_duration(with_rule(swallowed), hints), plain + seconds(5));
    swallowed.effect = scenario::effect::Close{};  // the client sees the close at once
    EXPECT_EQ(estimated_duration(with_rule(swallowed), hints), plain);
    swallowed.effect = scenario::effect::TlsAlert{};  // so does the alert
    EXPECT_EQ(estimated_duration(with_rule(swallowed), hints), plain);
    swallowed.effect = scenario::effect::None{};
    swallowed.reply.closes = true;  // a dropped 421 still closes
    EXPECT_EQ(estimated_duration(with_rule(swallowed), hints), plain);
    scenario::Action endless;
    endless.reply.raw = "250-one\r\n250-two\r\n";
    EXPECT_EQ(estimated_duration(with_rule(endless), hints), plain + seconds(5));
    endless.reply.raw = "250-one\r\n250 two\r\n";  // finished
    EXPECT_EQ(estimated_duration(with_rule(endless), hints), plain);
    endless.reply.raw = "25";
    EXPECT_EQ(estimated_duration(with_rule(endless), hints), plain);
    scenario::Scenario silent;
    silent.endpoint = "implicit";
    EXPECT_EQ(estimated_duration(silent, hints), plain + seconds(5));
}

TEST(ScenarioCost, PausesAddUp) {
    scenario::Action delayed;
    delayed.reply.delay = seconds(2);
    EXPECT_EQ(estimated_duration(with_rule(delayed), hints), milliseconds(2100));
    delayed.reply.delay = seconds(60);  // the client gives up first
    EXPECT_EQ(estimated_duration(with_rule(delayed), hints), milliseconds(5100));
    scenario::Action bytewise;
    bytewise.reply.split_every = 1;
    EXPECT_EQ(estimated_duration(with_rule(bytewise), hints), milliseconds(100 + 400 * 20));
    scenario::Action split;
    split.reply.split_at = {3, 10};
    EXPECT_EQ(estimated_duration(with_rule(split), hints), milliseconds(140));
    scenario::Scenario retries;
    retries.expect.max_attempts = 3;  // re-runs after 200 ms and 400 ms
    EXPECT_EQ(estimated_duration(retries, hints), milliseconds(700));
    scenario::Scenario expired;
    expired.server.tls.certificate = scenario::CertificateKind::expired;
    EXPECT_EQ(estimated_duration(expired, hints), milliseconds(600));
}

TEST(ScenarioCost, LongestFirstKeepsSuiteOrderAmongEquals) {
    scenario::Action stall;
    stall.effect = scenario::effect::Stall{};
    scenario::Action bytewise;
    bytewise.reply.split_every = 1;
    std::vector<std::shared_ptr<const scenario::Scenario>> list = {
        std::make_shared<scenario::Scenario>(), std::make_shared<scenario::Scenario>(with_rule(stall)),
        std::make_shared<scenario::Scenario>(), std::make_shared<scenario::Scenario>(with_rule(bytewise)),
        std::make_shared<scenario::Scenario>(with_rule(stall))};
    EXPECT_EQ(longest_first(list, hints), (std::vector<std::size_t>{3, 1, 4, 0, 2}));
    EXPECT_TRUE(longest_first({}, hints).empty());
}

}  // namespace
}  // namespace exosim::harness
