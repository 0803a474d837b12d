#include "transport/address_map.hpp"

#include <gtest/gtest.h>

#include "transport/session_id.hpp"

namespace exosim::transport {
namespace {

TEST(AddressMap, DefaultsMapLoopbackStandIns) {
    AddressMap m = AddressMap::defaults();
    EXPECT_EQ(m.seen("127.0.0.10"), "203.0.113.10");
    EXPECT_EQ(m.seen("::ffff:127.0.0.66"), "198.51.100.66");
    EXPECT_EQ(m.seen("127.0.0.1"), "192.0.2.1");
    EXPECT_EQ(m.seen("::1"), "192.0.2.1");
    EXPECT_EQ(m.seen("10.1.2.3"), "10.1.2.3");  // a lab printer is seen as itself
}

TEST(SessionId, SixteenUpperCaseHexDigitsAndDistinct) {
    std::string a = new_session_id(), b = new_session_id();
    EXPECT_EQ(a.size(), 16u);
    EXPECT_EQ(a.find_first_not_of("0123456789ABCDEF"), std::string::npos);
    EXPECT_NE(a, b);
}

}  // namespace
}  // namespace exosim::transport
