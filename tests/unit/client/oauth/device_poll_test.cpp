#include "oauth/device_poll.hpp"

#include <gtest/gtest.h>

namespace exosim::client::oauth {
namespace {

using std::chrono::seconds;

DeviceCode code(std::int64_t interval = 5, std::int64_t expires_in = 900) {
    DeviceCode d;
    d.device_code = "dc";
    d.user_code = "ABCDEFGH";
    d.verification_uri = "https://microsoft.com/devicelogin";
    d.interval = interval;
    d.expires_in = expires_in;
    return d;
}

TokenReply error(const std::string& name, int status = 400) {
    TokenError e;
    e.http_status = status;
    e.error = name;
    HttpAnswer a;
    a.status = status;
    a.body = R"({"error":")" + name + R"("})";
    return parse_token_reply(a);
}

TokenReply success() {
    TokenSuccess s;
    s.access_token = "a";
    s.expires_in = 3599;
    return s;
}

TEST(DevicePoll, WaitsOneIntervalBeforeTheFirstPoll) {
    DevicePoll p(code(5), false);
    EXPECT_EQ(p.start().outcome, PollOutcome::wait_then_poll);
    EXPECT_EQ(p.start().wait, seconds(5));
}

TEST(DevicePoll, PendingKeepsTheInterval) {
    DevicePoll p(code(7), false);
    for (int i = 1; i < 10; ++i) {
        PollStep s = p.on_reply(error("authorization_pending"), seconds(7 * i));
        EXPECT_EQ(s.outcome, PollOutcome::wait_then_poll);
        EXPECT_EQ(s.wait, seconds(7));
    }
}

TEST(DevicePoll, SlowDownAddsFiveSecondsForGood) {
    DevicePoll p(code(5), false);
    EXPECT_EQ(p.on_reply(error("slow_down"), seconds(5)).wait, seconds(10));
    EXPECT_EQ(p.on_reply(error("authorization_pending"), seconds(15)).wait, seconds(10));
    EXPECT_EQ(p.on_reply(error("slow_down"), seconds(25)).wait, seconds(15));
    EXPECT_EQ(p.interval(), seconds(15));
}

TEST(DevicePoll, StopsAtEveryEnd) {
    struct Case {
        const char* error;
        PollOutcome outcome;
    };
    const Case cases[] = {
        {"authorization_declined", PollOutcome::declined},
        {"expired_token", PollOutcome::expired},
        {"bad_verification_code", PollOutcome::bad_code},
        {"invalid_client", PollOutcome::failed},
        {"invalid_grant", PollOutcome::failed},
    };
    for (const auto& c : cases) {
        DevicePoll p(code(), false);
        PollStep s = p.on_reply(error(c.error), seconds(5));
        EXPECT_EQ(s.outcome, c.outcome) << c.error;
        EXPECT_TRUE(p.finished());
        EXPECT_NE(s.reason.find(c.error), std::string::npos) << s.reason;
    }
}

TEST(DevicePoll, NeverPollsAfterSuccess) {
    DevicePoll p(code(), false);
    EXPECT_EQ(p.on_reply(success(), seconds(5)).outcome, PollOutcome::success);
    // Whatever comes next, the answer is never "poll again".
    EXPECT_NE(p.on_reply(error("authorization_pending"), seconds(10)).outcome, PollOutcome::wait_then_poll);
    EXPECT_NE(p.on_reply(success(), seconds(10)).outcome, PollOutcome::wait_then_poll);
}

TEST(DevicePoll, GivesUpWhenTheCodeHasExpired) {
    DevicePoll p(code(5, 20), false);
    EXPECT_EQ(p.on_reply(error("authorization_pending"), seconds(15)).outcome, PollOutcome::wait_then_poll);  // 20 <= 25
    EXPECT_EQ(p.on_reply(error("authorization_pending"), seconds(20)).outcome, PollOutcome::wait_then_poll);  // 25 <= 25
    EXPECT_EQ(p.on_reply(error("authorization_pending"), seconds(21)).outcome, PollOutcome::expired);         // 26 > 25
}

TEST(DevicePoll, TransientErrorsAreBoundedAndHonourRetryAfter) {
    DevicePoll p(code(5), false);
    HttpAnswer busy;
    busy.status = 503;
    busy.retry_after = "12";
    const TokenReply r = parse_token_reply(busy);
    for (int i = 1; i <= max_transient_polls; ++i) {
        PollStep s = p.on_reply(r, seconds(5 * i));
        EXPECT_EQ(s.outcome, PollOutcome::wait_then_poll);
        EXPECT_EQ(s.wait, seconds(12));
    }
    EXPECT_EQ(p.on_reply(r, seconds(60)).outcome, PollOutcome::failed);
}

TEST(DevicePoll, PendingResetsTheTransientCount) {
    DevicePoll p(code(5), false);
    HttpAnswer busy;
    busy.status = 502;
    for (int round = 0; round < 3; ++round) {
        for (int i = 0; i < max_transient_polls; ++i) EXPECT_EQ(p.on_reply(parse_token_reply(busy), seconds(5)).outcome, PollOutcome::wait_then_poll);
        EXPECT_EQ(p.on_reply(error("authorization_pending"), seconds(5)).outcome, PollOutcome::wait_then_poll);
    }
}

TEST(DevicePoll, QuirkPollsTooFast) {
    DevicePoll p(code(5), true);
    EXPECT_EQ(p.start().wait, too_fast_period);
    EXPECT_EQ(p.on_reply(error("authorization_pending"), seconds(1)).wait, too_fast_period);
    EXPECT_EQ(p.on_reply(error("slow_down"), seconds(2)).wait, too_fast_period);
    EXPECT_EQ(p.interval(), seconds(5));
}

}  // namespace
}  // namespace exosim::client::oauth
