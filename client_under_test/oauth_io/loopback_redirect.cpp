#include "oauth_io/loopback_redirect.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace exosim::client::oauth {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
// A browser's redirect request is a few KiB; a slow or silent one is dropped after this.
constexpr std::chrono::seconds per_request{10};

std::optional<FormParams> redirect_query(std::string_view target) {
    const std::size_t q = target.find('?');
    if (q == std::string_view::npos) return std::nullopt;
    std::optional<FormParams> params = form_decode(target.substr(q + 1));
    if (!params || (!form_get(*params, "code") && !form_get(*params, "error"))) return std::nullopt;
    return params;
}

}  // namespace

struct LoopbackRedirect::Impl {
    asio::io_context io;
    tcp::acceptor acceptor{io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
    std::optional<FormParams> result;

    asio::awaitable<void> serve_one(tcp::socket socket) {
        beast::tcp_stream stream(std::move(socket));
        stream.expires_after(per_request);
        beast::flat_buffer buffer;
        http::request<http::string_body> req;
        auto [ec, n] = co_await http::async_read(stream, buffer, req, use_tuple);
        if (ec) co_return;
        std::optional<FormParams> params = redirect_query(req.target());
        http::response<http::string_body> res{params ? http::status::ok : http::status::not_found, 11};
        res.set(http::field::content_type, "text/html; charset=utf-8");
        res.body() = params ? "<html><body>exosim-client received the sign-in. You may close this window.</body></html>"
                            : "<html><body>Not found.</body></html>";
        res.keep_alive(false);
        res.prepare_payload();
        co_await http::async_write(stream, res, use_tuple);
        if (params && !result) {
            result = std::move(params);
            acceptor.close();
        }
    }

    asio::awaitable<void> accept_loop() {
        while (!result) {
            auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
            if (ec) co_return;
            asio::co_spawn(io, serve_one(std::move(socket)), asio::detached);
        }
    }
};

LoopbackRedirect::LoopbackRedirect() : impl_(std::make_unique<Impl>()) {}
LoopbackRedirect::~LoopbackRedirect() = default;

unsigned short LoopbackRedirect::port() const { return impl_->acceptor.local_endpoint().port(); }

std::optional<FormParams> LoopbackRedirect::wait(std::chrono::seconds limit) {
    asio::co_spawn(impl_->io, impl_->accept_loop(), asio::detached);
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!impl_->result && std::chrono::steady_clock::now() < deadline) {
        if (impl_->io.run_one_until(deadline) == 0 && impl_->io.stopped()) break;
    }
    return impl_->result;
}

}  // namespace exosim::client::oauth
