#pragma once
// The control API's HTTP/1.1 + WebSocket server: an HttpService (the HTTP layer it shares with
// the sign-in service: limits, deadlines, shedding) on its own io_context thread, so nothing it
// does can block an SMTP I/O thread. Requests go through the Router; `GET /api/v1/events` with
// `Upgrade: websocket` becomes an EventHub subscriber. No Asio in this header.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace exosim::control {

class Router;
class EventHub;
class Metrics;

struct HttpServerOptions {
    std::string address = "127.0.0.1";
    std::uint16_t port = 8025;  // 0: any free port (see port())
    // Request bodies above this get 413 (scenario documents are a few KiB).
    std::size_t body_limit = 1024 * 1024;
    // A full server sheds its idle and slowest connections (control/connection_table.hpp).
    std::size_t max_connections = 64;
    std::size_t event_queue = 1024;  // per WebSocket client, in messages
};

class HttpServer {
public:
    // `router`, `hub` and `metrics` must outlive the server.
    HttpServer(HttpServerOptions options, const Router& router, EventHub& hub, Metrics& metrics);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Binds and starts the thread. Throws std::runtime_error naming the address on failure.
    void start();
    // Closes every connection and joins the thread. Idempotent.
    void stop();
    const std::string& address() const;
    std::uint16_t port() const;  // the bound port

    struct Impl;

private:
    std::shared_ptr<Impl> impl_;
};

}  // namespace exosim::control
