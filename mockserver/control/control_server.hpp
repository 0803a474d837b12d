#pragma once
// The control API as one object for `exosim serve`: routes over the services, metrics, session
// log and event stream subscribed to the session registry, and the HTTP server on its own thread.
// No Asio in this header.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "control/http_server.hpp"
#include "control/services.hpp"
#include "identity/identity_event.hpp"

namespace exosim::control {

class ControlServer {
public:
    // services.store and services.registry are required and must outlive the server.
    ControlServer(HttpServerOptions options, ControlServices services);
    ~ControlServer();
    ControlServer(const ControlServer&) = delete;
    ControlServer& operator=(const ControlServer&) = delete;

    // Throws std::runtime_error when the address cannot be bound.
    void start();
    // Unsubscribes from the registry, then stops the HTTP thread. Idempotent.
    void stop();
    const std::string& address() const;
    std::uint16_t port() const;

    // "control 127.0.0.1:8025" (tests and the pytest fixture parse this line).
    std::string listening_line() const;

    // Where the sign-in service reports each request: the /identity/requests log, the WebSocket
    // stream and metrics. Valid while the server object lives.
    std::function<void(const identity::IdentityEvent&)> identity_observer();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace exosim::control
