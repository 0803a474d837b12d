#include "lab/dns_tcp_framer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace exosim::lab::dns {
namespace {

using namespace std::string_literals;

// RFC 1035 4.2.2: two messages back to back, split at every octet, come out whole and in order.
TEST(DnsTcpFramer, SplitAtEveryOctet) {
    const std::string a = "first message", b = std::string(300, 'b');
    const std::string stream = TcpFramer::frame(a) + TcpFramer::frame(b);
    for (std::size_t split = 0; split <= stream.size(); ++split) {
        TcpFramer f;
        std::vector<std::string> got;
        f.feed(stream.substr(0, split));
        while (auto m = f.next()) got.push_back(*m);
        f.feed(stream.substr(split));
        while (auto m = f.next()) got.push_back(*m);
        ASSERT_EQ(got, (std::vector<std::string>{a, b})) << split;
        EXPECT_EQ(f.buffered(), 0u);
        EXPECT_FALSE(f.bad());
    }
}

TEST(DnsTcpFramer, OneOctetAtATime) {
    const std::string stream = TcpFramer::frame("xyz");
    TcpFramer f;
    for (std::size_t i = 0; i + 1 < stream.size(); ++i) {
        f.feed(stream.substr(i, 1));
        EXPECT_FALSE(f.next()) << i;
    }
    f.feed(stream.substr(stream.size() - 1));
    EXPECT_EQ(f.next(), "xyz");
}

TEST(DnsTcpFramer, ZeroLengthIsBad) {
    TcpFramer f;
    f.feed("\x00\x00\x00\x01x"s);
    EXPECT_FALSE(f.next());
    EXPECT_TRUE(f.bad());
    f.feed(TcpFramer::frame("later"));
    EXPECT_FALSE(f.next());
}

TEST(DnsTcpFramer, FramePrefix) {
    EXPECT_EQ(TcpFramer::frame(std::string(258, 'q')).substr(0, 2), "\x01\x02"s);
}

}  // namespace
}  // namespace exosim::lab::dns
