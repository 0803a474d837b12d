#include "transport/listener.hpp"

#include <iostream>
#include <stdexcept>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace exosim::transport::detail {

using asio::ip::tcp;

void log_coroutine_exception(const char* what, std::exception_ptr e) {
    if (!e) return;
    try {
        std::rethrow_exception(e);
    } catch (const std::exception& ex) {
        std::cerr << "exosim: " << what << ": " << ex.what() << std::endl;
    } catch (...) {
        std::cerr << "exosim: " << what << ": unknown exception" << std::endl;
    }
}

Listener::Listener(asio::io_context& accept_context, std::shared_ptr<const ListenerRuntime> runtime)
    : acceptor_(accept_context), runtime_(std::move(runtime)) {
    const ListenerConfig& cfg = runtime_->config;
    auto fail = [&](const std::string& what, const boost::system::error_code& ec) {
        throw std::runtime_error("listener '" + cfg.name + "': " + what + " " + cfg.address + ":" +
                                 std::to_string(cfg.port) + ": " + ec.message());
    };
    boost::system::error_code ec;
    auto address = asio::ip::make_address(cfg.address, ec);
    if (ec) fail("bad address", ec);
    tcp::endpoint endpoint(address, cfg.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (ec) fail("cannot open", ec);
    acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
    acceptor_.bind(endpoint, ec);
    if (ec) fail("cannot bind", ec);
    acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) fail("cannot listen on", ec);
    port_ = acceptor_.local_endpoint().port();
}

void Listener::start(WorkerPicker pick, const SessionServices& services) {
    asio::co_spawn(acceptor_.get_executor(), accept_loop(std::move(pick), services),
                   [name = runtime_->config.name](std::exception_ptr e) {
                       log_coroutine_exception(("accept loop " + name).c_str(), e);
                   });
}

void Listener::close() {
    asio::post(acceptor_.get_executor(), [this] {
        boost::system::error_code ec;
        acceptor_.close(ec);
    });
}

asio::awaitable<void> Listener::accept_loop(WorkerPicker pick, const SessionServices& services) {
    constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
    asio::steady_timer backoff(acceptor_.get_executor());
    while (acceptor_.is_open()) {
        asio::io_context& worker = pick();
        auto [ec, socket] = co_await acceptor_.async_accept(worker, use_tuple);
        if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
        if (ec) {
            // EMFILE and friends: back off instead of spinning; the accept loop never blocks (SR-23).
            std::cerr << "exosim: accept on " << runtime_->config.name << ": " << ec.message() << std::endl;
            backoff.expires_after(std::chrono::milliseconds(50));
            co_await backoff.async_wait(use_tuple);
            continue;
        }
        boost::system::error_code peer_ec;
        auto peer = socket.remote_endpoint(peer_ec);
        if (peer_ec) continue;  // already gone
        auto [slot, refusal] = runtime_->limits->try_acquire(peer.address().to_string());
        asio::co_spawn(worker, run_session(std::move(socket), runtime_, std::move(slot), services),
                       [](std::exception_ptr e) { log_coroutine_exception("session", e); });
    }
}

}  // namespace exosim::transport::detail
