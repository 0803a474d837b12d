#pragma once
// Internal to the transport: the per-connection coroutine and what it shares with the server.
// Includes Asio; only transport .cpp files include it.
#include <chrono>
#include <filesystem>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include "transport/connection_limits.hpp"
#include "transport/listener_config.hpp"
#include "transport/registry.hpp"
#include "transport/server.hpp"
#include "transport/sni.hpp"

namespace exosim::transport::detail {

namespace asio = boost::asio;

// Immutable per listener; sessions share it (reconfiguration publishes a new one).
struct ListenerRuntime {
    ListenerConfig config;
    std::shared_ptr<asio::ssl::context> tls;  // null when tls.mode is none
    std::shared_ptr<SniSelector> sni;          // certificate choice by server_name; owns alternates
    std::shared_ptr<ConnectionLimits> limits;
};

// The server's handle on one session, for shutdown. Touched only on the session's executor,
// except through post().
struct SessionControl {
    explicit SessionControl(asio::any_io_executor ex) : watchdog(std::move(ex)) {}
    // The session's deadline watchdog (one long wait, not a timer per read). Cancelling it while
    // shutdown_requested is set makes the session interrupt its pending read and tell the engine.
    asio::steady_timer watchdog;
    bool shutdown_requested = false;
    bool session_alive = true;  // cleared by the session's destructor; late handlers check it
};

class SessionTracker {
public:
    using Handle = std::list<std::shared_ptr<SessionControl>>::iterator;
    Handle add(std::shared_ptr<SessionControl> control);
    void remove(Handle handle);
    std::vector<std::shared_ptr<SessionControl>> snapshot() const;
    std::size_t size() const;

private:
    mutable std::mutex mutex_;
    std::list<std::shared_ptr<SessionControl>> sessions_;
};

// Server-wide services a session uses; all outlive every session.
struct SessionServices {
    const PolicyFactory* policy_factory = nullptr;
    const SeenAddressFn* seen_address = nullptr;
    const SessionSinkFactory* sink_factory = nullptr;
    SessionHook* session_hook = nullptr;  // scenario scripting (harness); may be null
    store::MessageStore* store = nullptr;
    SessionRegistry* registry = nullptr;
    asio::thread_pool* store_pool = nullptr;
    SessionTracker* tracker = nullptr;
    std::chrono::milliseconds close_linger{500};
    std::filesystem::path evidence_dir;  // serve --evidence: key logs and ClientHello notes; empty: off
};

// Both ends of an accepted connection, as the accept loop learnt them: no getpeername or
// getsockname per connection. `local` is empty when the listener's address is a wildcard.
struct ConnectionEnds {
    asio::ip::tcp::endpoint peer;
    std::optional<asio::ip::tcp::endpoint> local;
};

// Serves one accepted connection to the end. Without a slot the connection is over a limit:
// it gets core::rfc_replies::too_many_connections() (SR-23) and is closed before any engine exists.
asio::awaitable<void> run_session(asio::ip::tcp::socket socket, ConnectionEnds ends,
                                  std::shared_ptr<const ListenerRuntime> listener,
                                  std::optional<ConnectionLimits::Slot> slot, const SessionServices& services);

}  // namespace exosim::transport::detail
