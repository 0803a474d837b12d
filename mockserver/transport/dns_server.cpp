// UDP: one receive loop; TCP: one coroutine per connection (RFC 7766: several queries per
// connection, answered in order). Everything runs on one thread, so the Responder (and its rate
// limit buckets) needs no lock.
#include "transport/dns_server.hpp"

#include <array>
#include <iostream>
#include <stdexcept>
#include <thread>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "lab/dns_tcp_framer.hpp"

namespace exosim::transport {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;
using namespace asio::experimental::awaitable_operators;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

namespace {

// RFC 7766 6.2.3: a server closes idle TCP connections; a few seconds is the usual setting.
constexpr std::chrono::seconds tcp_idle_timeout{10};
// TCP connections served at once; more are closed at accept (a lab has a few devices).
constexpr std::size_t max_tcp_connections = 64;
// What one TCP connection may buffer before a whole message (two octets of length cap it).
constexpr std::size_t tcp_read_chunk = 4096;

void log_failure(const char* what, std::exception_ptr e) {
    if (!e) return;
    try {
        std::rethrow_exception(e);
    } catch (const std::exception& ex) {
        std::cerr << "exosim: dns " << what << ": " << ex.what() << std::endl;
    }
}

}  // namespace

struct DnsServer::Impl {
    explicit Impl(DnsServerOptions o) : options(std::move(o)), responder(options.zone, options.rate_limit) {}

    DnsServerOptions options;
    lab::dns::Responder responder;
    asio::io_context context{1};
    udp::socket udp_socket{context};
    tcp::acceptor acceptor{context};
    std::thread thread;
    std::size_t tcp_connections = 0;
    std::uint16_t port = 0;

    // UDP and TCP on one port. With port 0 the kernel picks a free UDP port, which a TCP socket
    // may already hold (the two spaces are separate: parallel test workers hit this), so an
    // ephemeral pick is retried on a fresh UDP port; a configured port fails at once.
    void bind() {
        boost::system::error_code ec;
        auto address = asio::ip::make_address(options.address, ec);
        if (ec) throw std::runtime_error("dns: bad address '" + options.address + "'");
        constexpr int ephemeral_attempts = 50;
        for (int attempt = 1;; ++attempt) {
            ec = try_bind(address);
            if (!ec) return;
            const bool retry = options.port == 0 && ec == asio::error::address_in_use && attempt < ephemeral_attempts;
            if (!retry) throw std::runtime_error("dns: cannot bind TCP " + options.address + ":" + std::to_string(port) + ": " + ec.message());
            acceptor.close();
            udp_socket.close();
        }
    }

    boost::system::error_code try_bind(const asio::ip::address& address) {
        boost::system::error_code ec;
        udp::endpoint u(address, options.port);
        udp_socket.open(u.protocol());
        udp_socket.bind(u, ec);
        if (ec) throw std::runtime_error("dns: cannot bind UDP " + options.address + ":" + std::to_string(options.port) + ": " + ec.message());
        port = udp_socket.local_endpoint().port();
        tcp::endpoint t(address, port);
        acceptor.open(t.protocol());
        acceptor.set_option(tcp::acceptor::reuse_address(true));
        acceptor.bind(t, ec);
        if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
        return ec;
    }

    asio::awaitable<void> serve_udp() {
        std::array<char, 65535> buffer;
        for (;;) {
            udp::endpoint peer;
            auto [ec, n] = co_await udp_socket.async_receive_from(asio::buffer(buffer), peer, use_tuple);
            if (ec == asio::error::operation_aborted || !udp_socket.is_open()) co_return;
            if (ec) continue;  // ICMP errors from an earlier send surface here on Linux
            auto answer = responder.answer(std::string_view(buffer.data(), n), peer.address().to_string(),
                                           std::chrono::steady_clock::now(), lab::dns::Via::udp);
            if (answer) co_await udp_socket.async_send_to(asio::buffer(*answer), peer, use_tuple);
        }
    }

    asio::awaitable<void> serve_tcp_connection(tcp::socket socket) {
        ++tcp_connections;
        boost::system::error_code peer_ec;
        const tcp::endpoint peer = socket.remote_endpoint(peer_ec);  // fails if the client already left
        const std::string client = peer_ec ? std::string("unknown") : peer.address().to_string();
        lab::dns::TcpFramer framer;
        asio::steady_timer idle(context);
        std::array<char, tcp_read_chunk> buffer;
        for (;;) {
            idle.expires_after(tcp_idle_timeout);
            auto result = co_await (socket.async_read_some(asio::buffer(buffer), use_tuple) || idle.async_wait(use_tuple));
            if (result.index() == 1) break;  // idle
            auto [ec, n] = std::get<0>(result);
            if (ec) break;
            framer.feed(std::string_view(buffer.data(), n));
            bool ok = true;
            while (auto message = framer.next()) {
                auto answer = responder.answer(*message, client, std::chrono::steady_clock::now(), lab::dns::Via::tcp);
                if (!answer) continue;
                auto [wec, wn] = co_await asio::async_write(socket, asio::buffer(lab::dns::TcpFramer::frame(*answer)), use_tuple);
                if (wec) ok = false;
                if (!ok) break;
            }
            if (!ok || framer.bad()) break;
        }
        boost::system::error_code ignored;
        socket.close(ignored);
        --tcp_connections;
    }

    asio::awaitable<void> accept_tcp() {
        for (;;) {
            auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
            if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
            if (ec) continue;
            if (tcp_connections >= max_tcp_connections) continue;  // the socket closes here
            asio::co_spawn(context, serve_tcp_connection(std::move(socket)),
                           [](std::exception_ptr e) { log_failure("tcp connection", e); });
        }
    }
};

DnsServer::DnsServer(DnsServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

DnsServer::~DnsServer() { stop(); }

void DnsServer::start() {
    impl_->bind();
    asio::co_spawn(impl_->context, impl_->serve_udp(), [](std::exception_ptr e) { log_failure("udp", e); });
    asio::co_spawn(impl_->context, impl_->accept_tcp(), [](std::exception_ptr e) { log_failure("tcp", e); });
    impl_->thread = std::thread([this] { impl_->context.run(); });
}

void DnsServer::stop() {
    if (!impl_->thread.joinable()) return;
    impl_->context.stop();
    impl_->thread.join();
    boost::system::error_code ignored;
    impl_->udp_socket.close(ignored);
    impl_->acceptor.close(ignored);
}

std::uint16_t DnsServer::port() const { return impl_->port; }

std::string DnsServer::listening_line() const {
    std::string address = impl_->options.address;
    if (address.find(':') != std::string::npos) address = "[" + address + "]";
    return "listening dns " + address + ":" + std::to_string(impl_->port) + " udp+tcp";
}

}  // namespace exosim::transport
