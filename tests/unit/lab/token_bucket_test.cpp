#include "lab/token_bucket.hpp"

#include <gtest/gtest.h>

namespace exosim::lab {
namespace {

using namespace std::chrono_literals;
using Time = TokenBuckets::Clock::time_point;

TEST(TokenBuckets, CapacityIsTheBurst) {
    for (int capacity : {1, 3, 8}) {
        TokenBuckets b(capacity, 1, 10);
        for (int i = 0; i < capacity; ++i) EXPECT_TRUE(b.take("a", Time{})) << capacity << " " << i;
        EXPECT_FALSE(b.take("a", Time{})) << capacity;
    }
}

TEST(TokenBuckets, RefillsAtRateAndCapsAtCapacity) {
    TokenBuckets b(2, 4, 10);  // one token per 250 ms
    EXPECT_TRUE(b.take("a", Time{}));
    EXPECT_TRUE(b.take("a", Time{}));
    EXPECT_FALSE(b.take("a", Time{} + 249ms));
    EXPECT_TRUE(b.take("a", Time{} + 250ms));
    EXPECT_TRUE(b.take("a", Time{} + 10s));
    EXPECT_TRUE(b.take("a", Time{} + 10s));
    EXPECT_FALSE(b.take("a", Time{} + 10s));  // capped at 2, not 40
}

// max_clients: n-1 and n tracked; n+1 evicts full buckets, or is refused when none is full.
TEST(TokenBuckets, TrackedClientsAreBounded) {
    TokenBuckets b(2, 1, 3);
    EXPECT_TRUE(b.take("a", Time{}));
    EXPECT_TRUE(b.take("b", Time{}));
    EXPECT_TRUE(b.take("c", Time{}));
    EXPECT_EQ(b.tracked(), 3u);
    EXPECT_FALSE(b.take("d", Time{}));  // all three are mid-burst
    EXPECT_EQ(b.tracked(), 3u);
    EXPECT_TRUE(b.take("d", Time{} + 1s));  // a, b, c refilled: forgotten
    EXPECT_EQ(b.tracked(), 1u);
}

}  // namespace
}  // namespace exosim::lab
