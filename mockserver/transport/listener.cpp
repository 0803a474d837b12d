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

namespace {

using reuse_port = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

}  // namespace

Listener::Listener(const std::vector<asio::io_context*>& workers, std::shared_ptr<const ListenerRuntime> runtime)
    : workers_(workers), runtime_(std::move(runtime)) {
    const ListenerConfig& cfg = runtime_->config;
    auto fail = [&](const std::string& what, const boost::system::error_code& ec) {
        throw std::runtime_error("listener '" + cfg.name + "': " + what + " " + cfg.address + ":" +
                                 std::to_string(cfg.port) + ": " + ec.message());
    };
    if (workers_.empty()) throw std::invalid_argument("listener '" + cfg.name + "': no worker contexts");
    boost::system::error_code ec;
    auto address = asio::ip::make_address(cfg.address, ec);
    if (ec) fail("bad address", ec);
    tcp::endpoint endpoint(address, cfg.port);
    if (cfg.port != 0) {
        // SO_REUSEPORT would let this process share a port another exosim (same user) already
        // listens on, silently taking half its connections. A probe bound without it fails with
        // "address in use" as a plain bind does.
        tcp::acceptor probe = open_acceptor(*workers_[0], endpoint, false, ec);
        if (ec) fail(probe.is_open() ? "cannot bind" : "cannot open", ec);
    }
    auto first = std::make_unique<tcp::acceptor>(open_acceptor(*workers_[0], endpoint, workers_.size() > 1, ec));
    if (ec) fail(first->is_open() ? "cannot bind" : "cannot open", ec);
    first->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) fail("cannot listen on", ec);
    port_ = first->local_endpoint().port();
    acceptors_.push_back(std::move(first));
    endpoint.port(port_);
    for (std::size_t i = 1; i < workers_.size(); ++i) {
        auto acceptor = std::make_unique<tcp::acceptor>(open_acceptor(*workers_[i], endpoint, true, ec));
        if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
        if (ec) {
            // No SO_REUSEPORT here: one acceptor, sessions handed out round-robin (still correct).
            acceptors_.resize(1);
            break;
        }
        acceptors_.push_back(std::move(acceptor));
    }
}

tcp::acceptor Listener::open_acceptor(asio::io_context& context, const tcp::endpoint& endpoint, bool share_port,
                                      boost::system::error_code& ec) {
    tcp::acceptor acceptor(context);
    acceptor.open(endpoint.protocol(), ec);
    if (ec) return acceptor;
    acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (share_port && !ec) acceptor.set_option(reuse_port(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    return acceptor;
}

void Listener::start(const SessionServices& services) {
    for (auto& acceptor : acceptors_) {
        asio::co_spawn(acceptor->get_executor(), accept_loop(*acceptor, services),
                       [name = runtime_->config.name](std::exception_ptr e) {
                           log_coroutine_exception(("accept loop " + name).c_str(), e);
                       });
    }
}

void Listener::close() {
    for (auto& acceptor : acceptors_) {
        asio::post(acceptor->get_executor(), [a = acceptor.get()] {
            boost::system::error_code ec;
            a->close(ec);
        });
    }
}

asio::io_context& Listener::session_context(tcp::acceptor& acceptor) {
    if (acceptors_.size() > 1) return static_cast<asio::io_context&>(acceptor.get_executor().context());
    return *workers_[next_worker_++ % workers_.size()];
}

asio::awaitable<void> Listener::accept_loop(tcp::acceptor& acceptor, const SessionServices& services) {
    constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
    asio::steady_timer backoff(acceptor.get_executor());
    // A listener bound to one address: that is every connection's local end.
    std::optional<tcp::endpoint> local;
    boost::system::error_code local_ec;
    if (tcp::endpoint bound = acceptor.local_endpoint(local_ec); !local_ec && !bound.address().is_unspecified())
        local = bound;
    while (acceptor.is_open()) {
        asio::io_context& worker = session_context(acceptor);
        tcp::endpoint peer;  // filled by accept(2) itself
        auto [ec, socket] = co_await acceptor.async_accept(worker, peer, use_tuple);
        if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
        if (ec) {
            // EMFILE and friends: back off instead of spinning; the accept loop never blocks (SR-23).
            std::cerr << "exosim: accept on " << runtime_->config.name << ": " << ec.message() << std::endl;
            backoff.expires_after(std::chrono::milliseconds(50));
            co_await backoff.async_wait(use_tuple);
            continue;
        }
        auto [slot, refusal] = runtime_->limits->try_acquire(peer.address().to_string());
        asio::co_spawn(worker, run_session(std::move(socket), ConnectionEnds{peer, local}, runtime_, std::move(slot), services),
                       [](std::exception_ptr e) { log_coroutine_exception("session", e); });
    }
}

}  // namespace exosim::transport::detail
