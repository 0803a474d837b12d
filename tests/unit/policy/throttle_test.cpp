// Cross-session submission state on a virtual clock: no test sleeps.
#include "policy/throttle.hpp"

#include <gtest/gtest.h>

#include "policy/virtual_clock.hpp"
#include "policy/exo_test_support.hpp"

namespace exosim::policy {
namespace {

using namespace std::chrono_literals;
using exo::testing::reference_time;

TEST(Throttle, FourthConcurrentSessionIsOverTheLimit) {
    auto s = SubmissionState::create();
    SessionSlot a = s->open_session("printer@contoso.com");
    SessionSlot b = s->open_session("PRINTER@contoso.com");
    SessionSlot c = s->open_session("printer@contoso.com");
    SessionSlot other = s->open_session("app@contoso.com");
    EXPECT_TRUE(a.within_limit() && b.within_limit() && c.within_limit() && other.within_limit());
    {
        SessionSlot d = s->open_session("printer@contoso.com");
        EXPECT_EQ(s->active_sessions("printer@contoso.com"), 4u);
        EXPECT_FALSE(d.within_limit());
        b.release();  // one of the three leaves: the fourth moves up
        EXPECT_TRUE(d.within_limit());
    }
    EXPECT_EQ(s->active_sessions("printer@contoso.com"), 2u);  // destructor released d
}

TEST(Throttle, RecipientQuotaAtLimitAndRollingWindow) {
    VirtualClock clock(reference_time());
    auto s = SubmissionState::create();
    EXPECT_TRUE(s->try_consume_recipients("printer@contoso.com", 9999, clock.now()));  // n-1
    clock.advance(1h);
    EXPECT_TRUE(s->try_consume_recipients("printer@contoso.com", 1, clock.now()));  // n
    EXPECT_FALSE(s->try_consume_recipients("printer@contoso.com", 1, clock.now()));  // n+1
    EXPECT_EQ(s->recipients_in_window("printer@contoso.com", clock.now()), 10000u);
    EXPECT_TRUE(s->try_consume_recipients("app@contoso.com", 1, clock.now()));  // per mailbox
    clock.advance(23h - 1s);  // 24 h after the first batch minus 1 s
    EXPECT_FALSE(s->try_consume_recipients("printer@contoso.com", 1, clock.now()));
    clock.advance(1s);  // the 9999 leave the window
    EXPECT_EQ(s->recipients_in_window("printer@contoso.com", clock.now()), 1u);
    EXPECT_TRUE(s->try_consume_recipients("printer@contoso.com", 9999, clock.now()));
}

TEST(Throttle, ThirtyPerMinuteThenDelayed) {
    VirtualClock clock(reference_time());
    auto s = SubmissionState::create();
    for (int i = 0; i < 30; ++i) EXPECT_EQ(s->schedule_message("printer@contoso.com", clock.now()), clock.now()) << i;
    EXPECT_EQ(s->schedule_message("printer@contoso.com", clock.now()), clock.now() + 1min);  // 31st
    EXPECT_EQ(s->schedule_message("printer@contoso.com", clock.now()), clock.now() + 1min);  // 32nd
    EXPECT_EQ(s->schedule_message("app@contoso.com", clock.now()), clock.now());
    clock.advance(5min);  // backlog drained
    EXPECT_EQ(s->schedule_message("printer@contoso.com", clock.now()), clock.now());
}

TEST(Throttle, SmartLockoutAfterThresholdExpires) {
    VirtualClock clock(reference_time());
    ThrottleLimits limits;
    limits.lockout_threshold = 3;
    limits.lockout_duration = 60s;
    auto s = SubmissionState::create(limits);
    s->record_auth_failure("printer@contoso.com", clock.now());
    s->record_auth_failure("printer@contoso.com", clock.now());
    EXPECT_FALSE(s->locked_out("printer@contoso.com", clock.now()));
    s->record_auth_failure("printer@contoso.com", clock.now());
    EXPECT_TRUE(s->locked_out("printer@contoso.com", clock.now()));
    clock.advance(59s);
    EXPECT_TRUE(s->locked_out("printer@contoso.com", clock.now()));
    clock.advance(1s);
    EXPECT_FALSE(s->locked_out("printer@contoso.com", clock.now()));
    s->record_auth_failure("printer@contoso.com", clock.now());  // counting starts over
    EXPECT_FALSE(s->locked_out("printer@contoso.com", clock.now()));
}

TEST(VirtualClockTest, AdvancesOnlyForward) {
    VirtualClock clock(reference_time());
    clock.advance(-1h);
    EXPECT_EQ(clock.now(), reference_time());
    clock.advance(24h);
    EXPECT_EQ(clock.now(), reference_time() + 24h);
    clock.set(reference_time());
    EXPECT_EQ(clock.now(), reference_time() + 24h);
}

}  // namespace
}  // namespace exosim::policy
