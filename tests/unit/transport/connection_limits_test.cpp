#include "transport/connection_limits.hpp"

#include <gtest/gtest.h>

namespace exosim::transport {
namespace {

// SR-23 at n-1, n, n+1 for both limits.
TEST(ConnectionLimits, PerClientLimit) {
    auto limits = std::make_shared<ConnectionLimits>(ListenerLimits{10, 2});
    auto a = limits->try_acquire("127.0.0.1");
    ASSERT_TRUE(a.first);
    auto b = limits->try_acquire("127.0.0.1");
    ASSERT_TRUE(b.first);
    auto c = limits->try_acquire("127.0.0.1");
    EXPECT_FALSE(c.first);
    EXPECT_EQ(c.second, ConnectionLimits::Refusal::client_full);
    EXPECT_TRUE(limits->try_acquire("127.0.0.2").first);
    a.first.reset();
    EXPECT_EQ(limits->for_client("127.0.0.1"), 1u);
    EXPECT_TRUE(limits->try_acquire("127.0.0.1").first);
}

TEST(ConnectionLimits, ListenerLimit) {
    auto limits = std::make_shared<ConnectionLimits>(ListenerLimits{2, 10});
    auto a = limits->try_acquire("a");
    auto b = limits->try_acquire("b");
    auto c = limits->try_acquire("c");
    EXPECT_FALSE(c.first);
    EXPECT_EQ(c.second, ConnectionLimits::Refusal::listener_full);
    b.first.reset();
    EXPECT_EQ(limits->total(), 1u);
    EXPECT_TRUE(limits->try_acquire("c").first);
}

}  // namespace
}  // namespace exosim::transport
