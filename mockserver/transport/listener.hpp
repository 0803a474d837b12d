#pragma once
// Internal to the transport: one bound listening socket and its accept loop.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "transport/session.hpp"

namespace exosim::transport::detail {

class Listener {
public:
    // Picks the io_context (worker thread) that will own the next accepted connection.
    using WorkerPicker = std::function<asio::io_context&()>;

    // Binds and listens at once (throws std::runtime_error naming the listener), so the bound
    // port is known before any thread runs. The acceptor lives on `accept_context`.
    Listener(asio::io_context& accept_context, std::shared_ptr<const ListenerRuntime> runtime);

    std::uint16_t port() const { return port_; }
    const ListenerConfig& config() const { return runtime_->config; }

    // Starts the accept loop. `services` outlives the listener.
    void start(WorkerPicker pick, const SessionServices& services);
    // Stops accepting; thread-safe (posts to the acceptor's executor).
    void close();

private:
    asio::awaitable<void> accept_loop(WorkerPicker pick, const SessionServices& services);

    asio::ip::tcp::acceptor acceptor_;
    std::shared_ptr<const ListenerRuntime> runtime_;
    std::uint16_t port_ = 0;
};

// Logs an exception that ended a spawned coroutine (every co_spawn has one of these: STYLE 5).
void log_coroutine_exception(const char* what, std::exception_ptr e);

}  // namespace exosim::transport::detail
