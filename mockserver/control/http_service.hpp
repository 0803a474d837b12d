#pragma once
// One HTTP/1.1 server layer (Boost.Beast, C++20 coroutines, its own io_context thread) for the
// control API (plain HTTP) and the sign-in service (HTTPS). Requests and responses cross its edge
// as identity::HttpRequest / HttpResponse, so handlers are plain functions; a plain server may
// also hand a connection over to an HttpUpgrade (the control API's WebSocket event stream).
//
// Availability (issue 14): every request's header must arrive within a deadline (slow-loris),
// headers and bodies have size limits (431, 413), pipelined requests are answered in order, an
// idle keep-alive connection is closed after a timeout, and a full server sheds its idle and
// slowest connections (ConnectionTable) instead of refusing newcomers.
// No Asio in this header.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "identity/http_message.hpp"

namespace boost::asio::ssl {
class context;
}

namespace exosim::control {

// Defaults follow common server practice (Apache mod_reqtimeout and nginx use 10-60 s header
// timeouts, 8-16 KiB header buffers): tight enough that a slow client cannot hold a slot long.
struct HttpLimits {
    std::size_t max_connections = 64;
    // A request's header must be complete this long after its first byte (after the TLS
    // handshake, or after accept for the first request when nothing was sent yet).
    std::chrono::milliseconds header_deadline{10'000};
    // A keep-alive connection with no new request for this long is closed.
    std::chrono::milliseconds idle_timeout{30'000};
    // A request's body must be complete this long after its header.
    std::chrono::milliseconds body_deadline{30'000};
    // Writing one response, and the TLS handshake.
    std::chrono::milliseconds write_timeout{30'000};
    std::chrono::milliseconds handshake_timeout{10'000};
    std::size_t header_limit = 16 * 1024;  // request line + fields; above: 431
    std::size_t body_limit = 1024 * 1024;  // above: 413
};

// Answers one request; runs on the server's I/O thread (handler_threads 0), so it must not block
// for long, or on one of handler_threads pool threads, so it must be thread-safe.
using HttpHandler = std::function<identity::HttpResponse(identity::HttpRequest)>;
// The answer to a request the HTTP layer itself refused: 400 (malformed), 413, 431. `reason`
// is a short English sentence naming the limit.
using HttpErrorPage = std::function<identity::HttpResponse(unsigned status, std::string_view reason)>;

class HttpUpgrade;  // control/http_upgrade.hpp (Beast types)

struct HttpServiceOptions {
    std::string name = "http";  // "control", "identity": in error messages and logs
    std::string address = "127.0.0.1";
    std::uint16_t port = 0;  // 0: any free port (see port())
    HttpLimits limits;
    std::shared_ptr<boost::asio::ssl::context> tls;  // null: plain HTTP
    HttpHandler handler;                             // required
    // 0: the handler runs on the I/O thread, one request at a time. N: on a pool of N threads, so
    // handlers that compute (RS256 signing) or wait (a refresh token's fdatasync) use every core
    // and overlap, while the I/O thread keeps reading and writing other connections.
    unsigned handler_threads = 0;
    HttpErrorPage error_page;                        // null: text/plain
    std::shared_ptr<HttpUpgrade> upgrade;            // plain HTTP only
};

class HttpService {
public:
    explicit HttpService(HttpServiceOptions options);
    ~HttpService();
    HttpService(const HttpService&) = delete;
    HttpService& operator=(const HttpService&) = delete;

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

// The "Connection" and "Content-Length" handling is the layer's; these help handlers.
// The first header named `name` (ASCII case-insensitive) in `request`, or empty.
std::string_view find_header(const identity::HttpRequest& request, std::string_view name);

}  // namespace exosim::control
