#include "control/http_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json/serialize.hpp>

#include "control/api.hpp"
#include "control/event_hub.hpp"
#include "control/http_service.hpp"
#include "control/http_upgrade.hpp"
#include "control/metrics.hpp"
#include "control/router.hpp"

namespace exosim::control {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using namespace asio::experimental::awaitable_operators;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr const char* events_path = "/api/v1/events";

identity::HttpResponse to_http(const ApiResponse& r) {
    identity::HttpResponse res;
    res.status = static_cast<unsigned>(r.status);
    res.headers = {{"Server", "exosim"}, {"Content-Type", r.content_type}, {"Cache-Control", "no-store"}};
    for (const auto& [name, value] : r.headers) res.headers.emplace_back(name, value);
    res.body = r.body;
    return res;
}

ApiResponse dispatch(const Router& router, const identity::HttpRequest& req) {
    if (!origin_allowed(find_header(req, "Origin")))
        return error_response(403, "forbidden_origin", "requests from web pages on other sites are refused");
    ApiRequest api;
    api.method = parse_method(req.method);
    if (!split_target(req.target, api.path, api.query)) return error_response(400, "bad_target", "malformed percent-encoding in the request target");
    api.content_type = std::string(find_header(req, "Content-Type"));
    api.body = req.body;
    return router.dispatch(std::move(api));
}

const char* error_code_for(unsigned status) {
    switch (status) {
    case 413: return "body_too_large";
    case 431: return "headers_too_large";
    default: return "bad_request";
    }
}

// The writer side of an event stream: woken (from any thread, via post) when its queue gets
// events, or when the reader saw the client go away.
struct StreamState {
    explicit StreamState(asio::any_io_executor ex) : timer(ex, asio::steady_timer::time_point::max()) {}
    asio::steady_timer timer;
    bool closed = false;
};

// `GET /api/v1/events` with Upgrade: websocket: the connection becomes an EventHub subscriber.
class EventStream final : public HttpUpgrade {
public:
    EventStream(EventHub& hub, Metrics& metrics, std::size_t queue_size)
        : hub_(hub), metrics_(metrics), queue_size_(queue_size) {}

    bool accepts(const Request& req) const override {
        if (!websocket::is_upgrade(req) ||
            !origin_allowed(std::string_view(req[http::field::origin].data(), req[http::field::origin].size())))
            return false;
        std::string path;
        std::map<std::string, std::string> query;
        return split_target(std::string_view(req.target().data(), req.target().size()), path, query) && path == events_path;
    }

    asio::awaitable<void> run(beast::tcp_stream stream, Request req, std::weak_ptr<asio::io_context> ioc) override {
        std::string path;
        std::map<std::string, std::string> query;
        split_target(std::string_view(req.target().data(), req.target().size()), path, query);
        const bool wire = query["wire"] == "1" || query["wire"] == "true";
        metrics_.add_http_request(101);
        websocket::stream<beast::tcp_stream> ws(std::move(stream));
        beast::get_lowest_layer(ws).expires_never();
        auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
        timeouts.keep_alive_pings = true;  // find dead clients without waiting for an event
        ws.set_option(timeouts);
        ws.set_option(websocket::stream_base::decorator(
            [](websocket::response_type& res) { res.set(http::field::server, "exosim"); }));
        auto [ec] = co_await ws.async_accept(req, use_tuple);
        if (ec) co_return;

        auto state = std::make_shared<StreamState>(ws.get_executor());
        std::weak_ptr<StreamState> weak_state = state;
        // Runs on SMTP I/O threads: only a post, never a wait.
        auto queue = std::make_shared<EventQueue>(queue_size_, wire, [ioc, weak_state] {
            if (auto context = ioc.lock())
                asio::post(*context, [weak_state] {
                    if (auto s = weak_state.lock()) s->timer.cancel();
                });
        });
        struct Subscription {
            EventHub& hub;
            std::shared_ptr<EventQueue> queue;
            ~Subscription() { hub.remove(queue); }
        } subscription{hub_, queue};

        // Subscribe before the hello goes out: a client that acts on the hello must not miss the
        // session it starts.
        hub_.add(queue);
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

private:
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

    EventHub& hub_;
    Metrics& metrics_;
    std::size_t queue_size_;
};

HttpServiceOptions service_options(HttpServerOptions o, const Router& router, EventHub& hub, Metrics& metrics) {
    HttpServiceOptions s;
    s.name = "control API";
    s.address = std::move(o.address);
    s.port = o.port;
    s.limits.max_connections = o.max_connections;
    s.limits.body_limit = o.body_limit;
    s.handler = [&router, &metrics](identity::HttpRequest req) {
        ApiResponse api = dispatch(router, req);
        metrics.add_http_request(api.status);
        return to_http(api);
    };
    s.error_page = [&metrics](unsigned status, std::string_view reason) {
        metrics.add_http_request(static_cast<int>(status));
        return to_http(error_response(static_cast<int>(status), error_code_for(status), reason));
    };
    s.upgrade = std::make_shared<EventStream>(hub, metrics, o.event_queue);
    return s;
}

}  // namespace

struct HttpServer::Impl {
    explicit Impl(HttpServiceOptions o) : service(std::move(o)) {}
    HttpService service;
};

HttpServer::HttpServer(HttpServerOptions options, const Router& router, EventHub& hub, Metrics& metrics)
    : impl_(std::make_shared<Impl>(service_options(std::move(options), router, hub, metrics))) {}

HttpServer::~HttpServer() { stop(); }

void HttpServer::start() { impl_->service.start(); }
void HttpServer::stop() { impl_->service.stop(); }
const std::string& HttpServer::address() const { return impl_->service.address(); }
std::uint16_t HttpServer::port() const { return impl_->service.port(); }

}  // namespace exosim::control
