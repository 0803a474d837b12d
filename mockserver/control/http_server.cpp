#include "control/http_server.hpp"

#include <array>
#include <atomic>
#include <iostream>
#include <stdexcept>
#include <thread>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json/serialize.hpp>

#include "control/api.hpp"
#include "control/event_hub.hpp"
#include "control/metrics.hpp"
#include "control/router.hpp"

namespace exosim::control {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
// A client that sends nothing for this long is closed (HTTP keep-alive and request reads).
constexpr std::chrono::seconds idle_timeout{30};
constexpr std::size_t header_limit = 16 * 1024;
// Lingering close after an error answer: at most this long and this much input.
constexpr std::chrono::seconds linger_time{2};
constexpr std::size_t linger_limit = 4 * 1024 * 1024;
constexpr const char* events_path = "/api/v1/events";

http::response<http::string_body> to_beast(const ApiResponse& r, unsigned version, bool keep_alive) {
    http::response<http::string_body> res{static_cast<http::status>(r.status), version};
    res.set(http::field::server, "exosim");
    res.set(http::field::content_type, r.content_type);
    res.set(http::field::cache_control, "no-store");
    for (const auto& [name, value] : r.headers) res.set(name, value);
    res.body() = r.body;
    res.keep_alive(keep_alive);
    res.prepare_payload();
    return res;
}

// The writer side of an event stream: woken (from any thread, via post) when its queue gets
// events, or when the reader saw the client go away.
struct StreamState {
    explicit StreamState(asio::any_io_executor ex) : timer(ex, asio::steady_timer::time_point::max()) {}
    asio::steady_timer timer;
    bool closed = false;
};

}  // namespace

struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl> {
    Impl(HttpServerOptions o, const Router& r, EventHub& h, Metrics& m)
        : options(std::move(o)), router(r), hub(h), metrics(m) {}

    HttpServerOptions options;
    const Router& router;
    EventHub& hub;
    Metrics& metrics;
    asio::io_context ioc{1};
    tcp::acceptor acceptor{ioc};
    std::thread thread;
    std::uint16_t bound_port = 0;
    std::atomic<std::size_t> connections{0};
    bool started = false;
    bool stopped = false;

    ApiResponse handle(const http::request<http::string_body>& req) {
        if (!origin_allowed(std::string_view(req[http::field::origin].data(), req[http::field::origin].size())))
            return error_response(403, "forbidden_origin", "requests from web pages on other sites are refused");
        ApiRequest api;
        api.method = parse_method(std::string_view(req.method_string().data(), req.method_string().size()));
        std::string_view target(req.target().data(), req.target().size());
        if (!split_target(target, api.path, api.query)) return error_response(400, "bad_target", "malformed percent-encoding in the request target");
        api.content_type = std::string(req[http::field::content_type]);
        api.body = req.body();
        return router.dispatch(std::move(api));
    }

    // Answers a request the parser refused, then closes. The client may still be sending (a body
    // over the limit): closing at once would reset the connection and lose the answer, so read
    // and discard for a moment first (a lingering close, as HTTP servers do).
    asio::awaitable<void> write_error(beast::tcp_stream& stream, int status, const char* code, const char* message) {
        auto res = to_beast(error_response(status, code, message), 11, false);
        metrics.add_http_request(status);
        auto [wec, wn] = co_await http::async_write(stream, res, use_tuple);
        beast::error_code ec;
        stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        if (wec) co_return;
        std::array<char, 16 * 1024> sink;
        std::size_t discarded = 0;
        stream.expires_after(linger_time);
        while (discarded < linger_limit) {
            auto [rec, n] = co_await stream.async_read_some(asio::buffer(sink), use_tuple);
            if (rec) break;
            discarded += n;
        }
    }

    asio::awaitable<void> connection(tcp::socket socket) {
        struct Count {
            std::atomic<std::size_t>& n;
            ~Count() { --n; }
        } count{connections};
        beast::tcp_stream stream(std::move(socket));
        beast::flat_buffer buffer;
        for (;;) {
            http::request_parser<http::string_body> parser;
            parser.body_limit(options.body_limit);
            parser.header_limit(header_limit);
            stream.expires_after(idle_timeout);
            auto [ec, n] = co_await http::async_read(stream, buffer, parser, use_tuple);
            if (ec == http::error::body_limit) {
                co_await write_error(stream, 413, "body_too_large", "request body above the 1 MiB limit");
                co_return;
            }
            if (ec == http::error::header_limit) {
                co_await write_error(stream, 431, "headers_too_large", "request header above 16 KiB");
                co_return;
            }
            if (ec && ec != http::error::end_of_stream && ec != beast::error::timeout && parser.got_some()) {
                co_await write_error(stream, 400, "bad_request", "malformed HTTP request");
                co_return;
            }
            if (ec) co_return;
            http::request<http::string_body> req = parser.release();
            if (websocket::is_upgrade(req) &&
                origin_allowed(std::string_view(req[http::field::origin].data(), req[http::field::origin].size()))) {
                std::string path;
                std::map<std::string, std::string> query;
                if (split_target(std::string_view(req.target().data(), req.target().size()), path, query) &&
                    path == events_path) {
                    metrics.add_http_request(101);
                    co_await events(std::move(stream), std::move(req), query["wire"] == "1" || query["wire"] == "true");
                    co_return;
                }
            }
            const bool keep_alive = req.keep_alive();
            ApiResponse api = handle(req);
            metrics.add_http_request(api.status);
            auto res = to_beast(api, req.version(), keep_alive);
            auto [wec, wn] = co_await http::async_write(stream, res, use_tuple);
            if (wec || !keep_alive) break;
        }
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }

    static asio::awaitable<void> read_until_closed(websocket::stream<beast::tcp_stream>& ws, StreamState& state) {
        beast::flat_buffer buffer;
        for (;;) {  // clients send nothing we need; reading processes pings and the close frame
            auto [ec, n] = co_await ws.async_read(buffer, use_tuple);
            if (ec) break;
            buffer.consume(buffer.size());
        }
        state.closed = true;
        state.timer.cancel();
    }

    static asio::awaitable<void> write_events(websocket::stream<beast::tcp_stream>& ws, EventQueue& queue,
                                              StreamState& state) {
        while (!state.closed) {
            auto batch = queue.take();
            if (batch.empty()) {
                state.timer.expires_at(asio::steady_timer::time_point::max());
                co_await state.timer.async_wait(use_tuple);
                continue;
            }
            for (const auto& message : batch) {
                ws.text(true);
                auto [ec, n] = co_await ws.async_write(asio::buffer(*message), use_tuple);
                if (ec) {
                    beast::error_code ignored;
                    beast::get_lowest_layer(ws).socket().close(ignored);  // ends the reader too
                    co_return;
                }
            }
        }
    }

    asio::awaitable<void> events(beast::tcp_stream stream, http::request<http::string_body> req, bool wire) {
        websocket::stream<beast::tcp_stream> ws(std::move(stream));
        beast::get_lowest_layer(ws).expires_never();
        auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
        timeouts.keep_alive_pings = true;  // find dead clients without waiting for an event
        ws.set_option(timeouts);
        ws.set_option(websocket::stream_base::decorator(
            [](websocket::response_type& res) { res.set(http::field::server, "exosim"); }));
        auto [ec] = co_await ws.async_accept(req, use_tuple);
        if (ec) co_return;

        auto state = std::make_shared<StreamState>(ioc.get_executor());
        std::weak_ptr<Impl> weak_self = weak_from_this();
        std::weak_ptr<StreamState> weak_state = state;
        // Runs on SMTP I/O threads: only a post, never a wait.
        auto queue = std::make_shared<EventQueue>(options.event_queue, wire, [weak_self, weak_state] {
            if (auto self = weak_self.lock())
                asio::post(self->ioc, [weak_state] {
                    if (auto s = weak_state.lock()) s->timer.cancel();
                });
        });
        struct Subscription {
            EventHub& hub;
            std::shared_ptr<EventQueue> queue;
            ~Subscription() { hub.remove(queue); }
        } subscription{hub, queue};

        // Subscribe before the hello goes out: a client that acts on the hello must not miss the
        // session it starts.
        hub.add(queue);
        const std::string hello = boost::json::serialize(
            boost::json::object{{"type", "hello"}, {"api", "v1"}, {"wire", wire}});
        ws.text(true);
        auto [hec, hn] = co_await ws.async_write(asio::buffer(hello), use_tuple);
        if (hec) co_return;
        co_await (read_until_closed(ws, *state) || write_events(ws, *queue, *state));
        if (ws.is_open()) {
            auto [cec] = co_await ws.async_close(websocket::close_code::normal, use_tuple);
            (void)cec;
        }
    }

    asio::awaitable<void> accept_loop() {
        for (;;) {
            auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
            if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
            if (ec) continue;
            if (connections.load() >= options.max_connections) continue;  // socket closes on scope exit
            ++connections;
            asio::co_spawn(ioc, connection(std::move(socket)), [](std::exception_ptr e) {
                if (!e) return;
                try {
                    std::rethrow_exception(e);
                } catch (const std::exception& x) {
                    std::cerr << "control: connection failed: " << x.what() << "\n";
                }
            });
        }
    }
};

HttpServer::HttpServer(HttpServerOptions options, const Router& router, EventHub& hub, Metrics& metrics)
    : impl_(std::make_shared<Impl>(std::move(options), router, hub, metrics)) {}

HttpServer::~HttpServer() { stop(); }

void HttpServer::start() {
    Impl& i = *impl_;
    if (i.started) return;
    const std::string where = i.options.address + ":" + std::to_string(i.options.port);
    try {
        tcp::endpoint ep(asio::ip::make_address(i.options.address), i.options.port);
        i.acceptor.open(ep.protocol());
        i.acceptor.set_option(asio::socket_base::reuse_address(true));
        i.acceptor.bind(ep);
        i.acceptor.listen();
        i.bound_port = i.acceptor.local_endpoint().port();
    } catch (const std::exception& e) {
        throw std::runtime_error("control API: cannot listen on " + where + ": " + e.what());
    }
    asio::co_spawn(i.ioc, i.accept_loop(), asio::detached);
    i.started = true;
    i.thread = std::thread([impl = impl_] {
        try {
            impl->ioc.run();
        } catch (const std::exception& e) {
            std::cerr << "control: I/O thread stopped: " << e.what() << "\n";
        }
    });
}

void HttpServer::stop() {
    Impl& i = *impl_;
    if (!i.started || i.stopped) return;
    i.stopped = true;
    asio::post(i.ioc, [&i] {
        beast::error_code ec;
        i.acceptor.close(ec);
    });
    i.ioc.stop();
    if (i.thread.joinable()) i.thread.join();
}

const std::string& HttpServer::address() const { return impl_->options.address; }
std::uint16_t HttpServer::port() const { return impl_->bound_port; }

}  // namespace exosim::control
