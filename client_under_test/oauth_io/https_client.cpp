#include "oauth_io/https_client.hpp"

#include <openssl/ssl.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/version.hpp>

namespace exosim::client::oauth {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
// A token response is a few KiB; anything near this is not one.
constexpr std::size_t max_response_body = 1024 * 1024;

ssl::context make_context(const HttpsTarget& t) {
    ssl::context ctx(ssl::context::tls_client);
    SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
    if (t.ca_file.empty()) ctx.set_default_verify_paths();
    else ctx.load_verify_file(t.ca_file);
    ctx.set_verify_mode(ssl::verify_peer);
    return ctx;
}

HttpAnswer failed(const std::string& stage, const boost::system::error_code& ec) {
    HttpAnswer a;
    a.transport_error = stage + ": " + ec.message();
    return a;
}

asio::awaitable<HttpAnswer> exchange(const HttpsTarget& t, ssl::context& ctx, http::request<http::string_body> req) {
    auto executor = co_await asio::this_coro::executor;
    tcp::resolver resolver(executor);
    const std::string& host = t.connect_host.empty() ? t.host : t.connect_host;
    const std::string& port = t.connect_port.empty() ? t.port : t.connect_port;
    auto [rec, endpoints] = co_await resolver.async_resolve(host, port, use_tuple);
    if (rec) co_return failed("resolving " + host, rec);
    beast::ssl_stream<beast::tcp_stream> stream(executor, ctx);
    beast::get_lowest_layer(stream).expires_after(t.timeout);
    auto [cec, ep] = co_await beast::get_lowest_layer(stream).async_connect(endpoints, use_tuple);
    if (cec) co_return failed("connecting to " + host + ":" + port, cec);
    SSL_set_tlsext_host_name(stream.native_handle(), t.host.c_str());
    SSL_set1_host(stream.native_handle(), t.host.c_str());
    auto [hec] = co_await stream.async_handshake(ssl::stream_base::client, use_tuple);
    if (hec) co_return failed("TLS with " + t.host, hec);
    auto [wec, wn] = co_await http::async_write(stream, req, use_tuple);
    if (wec) co_return failed("sending", wec);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(max_response_body);
    auto [ren, rn] = co_await http::async_read(stream, buffer, parser, use_tuple);
    if (ren) co_return failed("reading the response", ren);
    HttpAnswer a;
    a.status = static_cast<int>(parser.get().result_int());
    a.retry_after = std::string(parser.get()[http::field::retry_after]);
    a.body = parser.get().body();
    co_await stream.async_shutdown(use_tuple);  // best effort: the answer is already in
    co_return a;
}

}  // namespace

HttpAnswer https_post_form(const HttpsTarget& t, const std::string& path, const std::string& body) {
    ssl::context ctx = make_context(t);
    http::request<http::string_body> req{http::verb::post, path, 11};
    req.set(http::field::host, t.port == "443" ? t.host : t.host + ":" + t.port);
    req.set(http::field::user_agent, "exosim-client");
    req.set(http::field::accept, "application/json");
    req.set(http::field::content_type, "application/x-www-form-urlencoded");
    req.body() = body;
    req.prepare_payload();
    asio::io_context io;
    HttpAnswer answer;
    asio::co_spawn(io, exchange(t, ctx, std::move(req)), [&](std::exception_ptr e, HttpAnswer a) {
        if (!e) {
            answer = std::move(a);
            return;
        }
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& ex) {
            answer.transport_error = std::string("internal error: ") + ex.what();
        }
    });
    io.run();
    return answer;
}

}  // namespace exosim::client::oauth
