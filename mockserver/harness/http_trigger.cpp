// --trigger-url: one HTTP request that makes a device send (a printer's "scan to e-mail" web
// hook, a test rig's relay). Plain http only: the device is on a lab network.
#include "harness/http_trigger.hpp"

#include <stdexcept>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

namespace exosim::harness {

namespace {

struct Url {
    std::string host;
    std::string port = "80";
    std::string target = "/";
};

Url parse_url(const std::string& url) {
    const std::string scheme = "http://";
    if (url.rfind(scheme, 0) != 0)
        throw std::runtime_error("--trigger-url: '" + url + "' is not an http:// URL (https is not supported)");
    std::string rest = url.substr(scheme.size());
    Url u;
    auto slash = rest.find('/');
    std::string authority = rest.substr(0, slash);
    if (slash != std::string::npos) u.target = rest.substr(slash);
    if (authority.empty()) throw std::runtime_error("--trigger-url: no host in '" + url + "'");
    if (authority.front() == '[') {  // [::1]:8080
        auto close = authority.find(']');
        if (close == std::string::npos) throw std::runtime_error("--trigger-url: bad IPv6 host in '" + url + "'");
        u.host = authority.substr(1, close - 1);
        if (close + 1 < authority.size() && authority[close + 1] == ':') u.port = authority.substr(close + 2);
    } else {
        auto colon = authority.rfind(':');
        u.host = authority.substr(0, colon);
        if (colon != std::string::npos) u.port = authority.substr(colon + 1);
    }
    if (u.host.empty() || u.port.empty()) throw std::runtime_error("--trigger-url: bad host or port in '" + url + "'");
    return u;
}

}  // namespace

int http_trigger(const std::string& url, const std::string& method, std::chrono::milliseconds timeout) {
    namespace beast = boost::beast;
    namespace http = beast::http;
    Url u = parse_url(url);
    http::verb verb = method == "POST" ? http::verb::post : method == "GET" ? http::verb::get : http::verb::unknown;
    if (verb == http::verb::unknown) throw std::runtime_error("--trigger-method: '" + method + "' is not GET or POST");
    try {
        boost::asio::io_context io;
        boost::asio::ip::tcp::resolver resolver(io);
        beast::tcp_stream stream(io);
        stream.expires_after(timeout);
        stream.connect(resolver.resolve(u.host, u.port));
        http::request<http::string_body> request{verb, u.target, 11};
        request.set(http::field::host, u.host);
        request.set(http::field::user_agent, "exosim-certify");
        request.prepare_payload();
        stream.expires_after(timeout);
        http::write(stream, request);
        beast::flat_buffer buffer;
        http::response<http::string_body> response;
        http::read(stream, buffer, response);
        beast::error_code ec;
        stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
        return static_cast<int>(response.result_int());
    } catch (const boost::system::system_error& e) {
        throw std::runtime_error("--trigger-url " + url + ": " + e.code().message());
    }
}

}  // namespace exosim::harness
