#pragma once
// Internal to the transport: one configured listener, bound once per worker thread.
//
// Each worker io_context gets its own acceptor on the same address and port (SO_REUSEPORT), so the
// kernel spreads connections over the workers and a session starts on the thread that accepted
// it: no hand-off between threads per connection. Where SO_REUSEPORT is unavailable the listener
// falls back to one acceptor that hands sessions out round-robin.
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "transport/session.hpp"

namespace exosim::transport::detail {

class Listener {
public:
    // Binds and listens at once (throws std::runtime_error naming the listener), so the bound
    // port is known before any thread runs. `workers` must not be empty and outlive the listener.
    Listener(const std::vector<asio::io_context*>& workers, std::shared_ptr<const ListenerRuntime> runtime);

    std::uint16_t port() const { return port_; }
    const ListenerConfig& config() const { return runtime_->config; }

    // Starts the accept loops. `services` outlives the listener.
    void start(const SessionServices& services);
    // Stops accepting; thread-safe (posts to each acceptor's executor).
    void close();

private:
    asio::ip::tcp::acceptor open_acceptor(asio::io_context& context, const asio::ip::tcp::endpoint& endpoint,
                                          bool reuse_port, boost::system::error_code& ec);
    asio::awaitable<void> accept_loop(asio::ip::tcp::acceptor& acceptor, const SessionServices& services);
    asio::io_context& session_context(asio::ip::tcp::acceptor& acceptor);

    std::vector<asio::io_context*> workers_;
    std::vector<std::unique_ptr<asio::ip::tcp::acceptor>> acceptors_;
    std::shared_ptr<const ListenerRuntime> runtime_;
    std::uint16_t port_ = 0;
    std::size_t next_worker_ = 0;  // fallback round-robin; touched by the single accept loop only
};

// Logs an exception that ended a spawned coroutine (every co_spawn has one of these: STYLE 5).
void log_coroutine_exception(const char* what, std::exception_ptr e);

}  // namespace exosim::transport::detail
