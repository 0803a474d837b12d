#include "control/http_service.hpp"

#include <array>
#include <exception>
#include <optional>
#include <iostream>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "control/connection_table.hpp"
#include "control/http_upgrade.hpp"

namespace exosim::control {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Phase = ConnectionTable::Phase;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
// Lingering close after an error answer: at most this long and this much input, so the client
// reads the answer instead of a reset (what HTTP servers do after 413).
constexpr std::chrono::seconds linger_time{2};
constexpr std::size_t linger_limit = 4 * 1024 * 1024;
// TLS close_notify exchange at the end of a connection.
constexpr std::chrono::seconds tls_shutdown_time{2};
constexpr std::size_t read_chunk = 4096;

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

identity::HttpRequest to_request(const Request& req, const std::string& peer) {
    identity::HttpRequest r;
    r.method = std::string(req.method_string());
    r.target = std::string(req.target());
    for (const auto& field : req) r.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    r.body = req.body();
    r.peer = peer;
    return r;
}

// A field a handler built from client input (a redirect's state, say) must not split the header.
bool field_safe(std::string_view text) { return text.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos; }

Response to_beast(const identity::HttpResponse& r, unsigned version, bool keep_alive) {
    for (const auto& [name, value] : r.headers)
        if (name.empty() || !field_safe(name) || !field_safe(value) || r.status < 100 || r.status > 599) {
            identity::HttpResponse broken;
            broken.status = 500;
            broken.headers = {{"Content-Type", "text/plain; charset=utf-8"}};
            broken.body = "exosim: the handler produced an invalid response header\n";
            return to_beast(broken, version, false);
        }
    Response res;
    res.version(version);
    res.result(r.status);
    for (const auto& [name, value] : r.headers) {
        if (iequals(name, "connection")) {
            if (iequals(value, "close")) keep_alive = false;
            continue;
        }
        if (iequals(name, "content-length")) continue;  // prepare_payload sets it
        res.insert(name, value);
    }
    res.body() = r.body;
    res.keep_alive(keep_alive);
    res.prepare_payload();
    return res;
}

identity::HttpResponse plain_error(unsigned status, std::string_view reason) {
    identity::HttpResponse r;
    r.status = status;
    r.headers = {{"Content-Type", "text/plain; charset=utf-8"}};
    r.body = std::string(reason) + "\n";
    return r;
}

// Beast's parser errors (malformed request) as opposed to network errors and timeouts.
bool malformed(const beast::error_code& ec) {
    return ec.category() == http::make_error_code(http::error::bad_method).category() && ec != http::error::end_of_stream &&
           ec != http::error::partial_message;
}

std::string peer_of(const tcp::socket& socket) {
    beast::error_code ec;
    auto ep = socket.remote_endpoint(ec);
    return ec ? std::string() : ep.address().to_string();
}

}  // namespace

struct HttpService::Impl : std::enable_shared_from_this<HttpService::Impl> {
    explicit Impl(HttpServiceOptions o) : options(std::move(o)), table(options.limits.max_connections) {
        if (!options.handler) throw std::invalid_argument(options.name + ": an HTTP handler is required");
        if (!options.error_page) options.error_page = plain_error;
    }

    // Declared before ioc: connection frames still alive when ioc is destroyed use them.
    HttpServiceOptions options;
    ConnectionTable table;
    std::unordered_map<ConnectionTable::Id, std::function<void()>> closers;  // close a connection
    // Shed between accept and the first step of their coroutine (no closer registered yet).
    std::unordered_set<ConnectionTable::Id> shed_early;
    std::uint16_t bound_port = 0;
    bool started = false;
    bool stopped = false;
    asio::io_context ioc{1};
    tcp::acceptor acceptor{ioc};
    std::thread thread;
    std::optional<asio::thread_pool> pool;  // options.handler_threads > 0; joined before ioc goes

    // The handler's answer, computed on the pool when there is one; the coroutine resumes on the
    // I/O thread either way (connection state is only touched there). A plain post and a
    // completion dispatched back to the coroutine's executor: no coroutine frame crosses threads.
    asio::awaitable<identity::HttpResponse> answer(identity::HttpRequest request) {
        if (!pool) co_return options.handler(std::move(request));
        identity::HttpResponse out;
        std::exception_ptr error;
        co_await asio::async_initiate<decltype(asio::use_awaitable), void()>(
            [this, &request, &out, &error](auto done) {
                asio::post(*pool, [this, &request, &out, &error, done = std::move(done)]() mutable {
                    try {
                        out = options.handler(std::move(request));
                    } catch (...) {
                        error = std::current_exception();
                    }
                    auto ex = asio::get_associated_executor(done);
                    asio::dispatch(ex, std::move(done));
                });
            },
            asio::use_awaitable);
        if (error) std::rethrow_exception(error);
        co_return out;
    }

    void phase(ConnectionTable::Id id, Phase p) { table.set_phase(id, p, ConnectionTable::Clock::now()); }

    // Answers a request the parser refused, then lingers (see linger_time).
    template <class Stream>
    asio::awaitable<void> refuse(Stream& stream, unsigned status, std::string_view reason) {
        auto res = to_beast(options.error_page(status, reason), 11, false);
        auto& lowest = beast::get_lowest_layer(stream);
        lowest.expires_after(options.limits.write_timeout);
        auto [wec, wn] = co_await http::async_write(stream, res, use_tuple);
        if (wec) co_return;
        if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
            beast::error_code ignored;
            lowest.socket().shutdown(tcp::socket::shutdown_send, ignored);
        }
        std::array<char, 16 * 1024> sink;
        std::size_t discarded = 0;
        lowest.expires_after(linger_time);
        while (discarded < linger_limit) {
            auto [rec, n] = co_await stream.async_read_some(asio::buffer(sink), use_tuple);
            if (rec) break;
            discarded += n;
        }
    }

    // Reads one request into `parser`. Returns false when the connection must end (after
    // answering a refused request when there is something to answer).
    template <class Stream>
    asio::awaitable<bool> read_request(Stream& stream, beast::flat_buffer& buffer, http::request_parser<http::string_body>& parser) {
        auto& lowest = beast::get_lowest_layer(stream);
        parser.header_limit(static_cast<std::uint32_t>(options.limits.header_limit));
        parser.body_limit(options.limits.body_limit);
        lowest.expires_after(options.limits.header_deadline);
        auto [ec, n] = co_await http::async_read_header(stream, buffer, parser, use_tuple);
        // Beast applies its limit to the request line and to the fields separately; the named
        // limit is for the whole header, so check the total it consumed too.
        if (!ec && n > options.limits.header_limit) ec = http::error::header_limit;
        if (!ec && !parser.is_done()) {
            if (iequals(std::string_view(parser.get()[http::field::expect]), "100-continue")) {
                http::response<http::empty_body> cont{http::status::continue_, 11};
                lowest.expires_after(options.limits.write_timeout);
                auto [cec, cn] = co_await http::async_write(stream, cont, use_tuple);
                if (cec) co_return false;
            }
            lowest.expires_after(options.limits.body_deadline);
            std::tie(ec, n) = co_await http::async_read(stream, buffer, parser, use_tuple);
        }
        if (!ec) co_return true;
        if (ec == http::error::body_limit)
            co_await refuse(stream, 413, "request body above the " + std::to_string(options.limits.body_limit) + "-byte limit");
        else if (ec == http::error::header_limit)
            co_await refuse(stream, 431, "request header above the " + std::to_string(options.limits.header_limit) + "-byte limit");
        else if (malformed(ec))
            co_await refuse(stream, 400, "malformed HTTP request");
        co_return false;  // timeouts (slow headers or body), resets, shedding: close without answer
    }

    // Waits for the first byte of the next request on a kept-alive connection.
    template <class Stream>
    asio::awaitable<bool> await_next(Stream& stream, beast::flat_buffer& buffer, ConnectionTable::Id id) {
        if (buffer.size() > 0) co_return true;  // pipelined: the next request is already here
        phase(id, Phase::idle);
        beast::get_lowest_layer(stream).expires_after(options.limits.idle_timeout);
        auto [ec, n] = co_await stream.async_read_some(buffer.prepare(read_chunk), use_tuple);
        if (ec) co_return false;
        buffer.commit(n);
        co_return true;
    }

    // Requests in order until the client or an answer ends the connection. Returns false when
    // the connection was dropped on purpose (close_without_response) or taken over (upgrade).
    template <class Stream>
    asio::awaitable<bool> serve(Stream& stream, ConnectionTable::Id id, const std::string& peer) {
        beast::flat_buffer buffer;
        for (bool first = true;; first = false) {
            if (!first) {
                if (!co_await await_next(stream, buffer, id)) co_return true;
                phase(id, Phase::reading);
            }
            http::request_parser<http::string_body> parser;
            if (!co_await read_request(stream, buffer, parser)) co_return true;
            phase(id, Phase::busy);
            Request req = parser.release();
            if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
                if (options.upgrade && options.upgrade->accepts(req)) {
                    closers.erase(id);
                    std::weak_ptr<asio::io_context> weak_ioc(std::shared_ptr<asio::io_context>(shared_from_this(), &ioc));
                    co_await options.upgrade->run(std::move(stream), std::move(req), std::move(weak_ioc));
                    co_return false;
                }
            }
            identity::HttpResponse reply = co_await answer(to_request(req, peer));
            if (reply.delay.count() > 0) {
                asio::steady_timer timer(ioc, reply.delay);
                co_await timer.async_wait(use_tuple);
            }
            if (reply.close_without_response) co_return false;
            Response res = to_beast(reply, req.version(), req.keep_alive());
            beast::get_lowest_layer(stream).expires_after(options.limits.write_timeout);
            auto [wec, wn] = co_await http::async_write(stream, res, use_tuple);
            if (wec) co_return false;
            if (!res.keep_alive()) co_return true;
        }
    }

    asio::awaitable<void> connection(tcp::socket socket, ConnectionTable::Id id) {
        struct Slot {
            Impl& impl;
            ConnectionTable::Id id;
            ~Slot() {
                impl.table.remove(id);
                impl.closers.erase(id);
                impl.shed_early.erase(id);
            }
        } slot{*this, id};
        if (shed_early.contains(id)) co_return;  // the socket closes with this frame
        const std::string peer = peer_of(socket);
        beast::tcp_stream plain(std::move(socket));
        if (!options.tls) {
            closers[id] = [&plain] { plain.close(); };
            if (co_await serve(plain, id, peer)) {
                beast::error_code ignored;
                plain.socket().shutdown(tcp::socket::shutdown_send, ignored);
            }
            co_return;
        }
        beast::ssl_stream<beast::tcp_stream> stream(std::move(plain), *options.tls);
        closers[id] = [&stream] { beast::get_lowest_layer(stream).close(); };
        beast::get_lowest_layer(stream).expires_after(options.limits.handshake_timeout);
        auto [hec] = co_await stream.async_handshake(asio::ssl::stream_base::server, use_tuple);
        if (hec) co_return;
        if (co_await serve(stream, id, peer)) {
            beast::get_lowest_layer(stream).expires_after(tls_shutdown_time);
            auto [sec] = co_await stream.async_shutdown(use_tuple);
            (void)sec;
        }
    }

    void shed(ConnectionTable::Id victim) {
        auto it = closers.find(victim);
        if (it == closers.end()) {
            shed_early.insert(victim);
            return;
        }
        auto close = std::move(it->second);
        closers.erase(it);
        close();
    }

    asio::awaitable<void> accept_loop() {
        for (;;) {
            auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
            if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
            if (ec) continue;
            auto admission = table.admit(ConnectionTable::Clock::now());
            if (admission.shed) shed(*admission.shed);
            if (!admission.id) continue;  // every slot is being answered: the socket closes here
            asio::co_spawn(ioc, connection(std::move(socket), *admission.id), [name = options.name](std::exception_ptr e) {
                if (!e) return;
                try {
                    std::rethrow_exception(e);
                } catch (const std::exception& x) {
                    std::cerr << name << ": connection failed: " << x.what() << "\n";
                }
            });
        }
    }
};

HttpService::HttpService(HttpServiceOptions options) : impl_(std::make_shared<Impl>(std::move(options))) {}

HttpService::~HttpService() { stop(); }

void HttpService::start() {
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
        throw std::runtime_error(i.options.name + ": cannot listen on " + where + ": " + e.what());
    }
    if (i.options.handler_threads > 0) i.pool.emplace(i.options.handler_threads);
    asio::co_spawn(i.ioc, i.accept_loop(), asio::detached);
    i.started = true;
    i.thread = std::thread([impl = impl_] {
        try {
            impl->ioc.run();
        } catch (const std::exception& e) {
            std::cerr << impl->options.name << ": I/O thread stopped: " << e.what() << "\n";
        }
    });
}

void HttpService::stop() {
    Impl& i = *impl_;
    if (!i.started || i.stopped) return;
    i.stopped = true;
    asio::post(i.ioc, [&i] {
        beast::error_code ec;
        i.acceptor.close(ec);
    });
    i.ioc.stop();
    if (i.thread.joinable()) i.thread.join();
    if (i.pool) i.pool->join();  // handlers still running finish; their resumptions are dropped
}

const std::string& HttpService::address() const { return impl_->options.address; }
std::uint16_t HttpService::port() const { return impl_->bound_port; }

std::string_view find_header(const identity::HttpRequest& request, std::string_view name) {
    for (const auto& [n, v] : request.headers)
        if (iequals(n, name)) return v;
    return {};
}

}  // namespace exosim::control
