// serve --dns binds UDP and TCP on one port: a configured port that TCP already holds is a clear
// start-up error; port 0 finds a port free for both (retrying past TCP ports the kernel's UDP pick
// collides with, which parallel test workers hit).
#include "transport/dns_server.hpp"

#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <vector>

namespace exosim::transport {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;

TEST(DnsServer, ConfiguredPortHeldByTcpIsAClearError) {
    asio::io_context io;
    tcp::acceptor held(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    DnsServerOptions o;
    o.port = held.local_endpoint().port();
    DnsServer server(o);
    try {
        server.start();
        FAIL() << "started on a port TCP already holds";
    } catch (const std::runtime_error& e) {
        EXPECT_EQ(std::string(e.what()).rfind("dns: cannot bind TCP 127.0.0.1:" + std::to_string(o.port) + ": ", 0), 0u) << e.what();
    }
}

// 900 TCP ports held (under the usual 1024 open files) make a collision with the kernel's UDP pick likely; every server
// still gets one port that both protocols answer on.
TEST(DnsServer, EphemeralPortIsFreeForUdpAndTcp) {
    asio::io_context io;
    std::vector<tcp::acceptor> held;
    for (int i = 0; i < 900; ++i) held.emplace_back(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    for (int i = 0; i < 60; ++i) {
        DnsServerOptions o;
        o.port = 0;
        DnsServer server(o);
        ASSERT_NO_THROW(server.start());
        const auto port = server.port();
        ASSERT_NE(port, 0);
        boost::system::error_code ec;
        tcp::socket probe(io);
        probe.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
        EXPECT_FALSE(ec) << ec.message();
        server.stop();
    }
}

}  // namespace
}  // namespace exosim::transport
