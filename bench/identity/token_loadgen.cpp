// token-loadgen: drives an OAuth token endpoint over HTTPS on loopback with C concurrent clients and
// prints one JSON line (tokens/s, latency percentiles, the driver's own CPU). Each client has its own
// TLS connection (HTTP/1.1 keep-alive, one request at a time, certificate and name verified), gets
// one token before the clock starts, then takes requests from a shared budget until it is spent or
// the time cap passes. Every answer must be 200 with an access_token; a refresh client sends the
// refresh token of its previous answer, as a device does. See bench/README.md (identity).
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json/src.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using asio::awaitable;
using asio::use_awaitable;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
    std::map<std::string, std::string> v{{"servername", "localhost"}, {"path", "/token"},
                                         {"grant", "client_credentials"}, {"clients", "1"},
                                         {"requests", "1000"}, {"max-seconds", "10"}};
    std::string get(const std::string& k) const { return v.count(k) ? v.at(k) : ""; }
    long num(const std::string& k) const { return std::stol(get(k)); }
};

struct Shared {
    long budget = 0, started = 0, ok = 0, failed = 0, ready = 0;
    std::vector<std::uint32_t> latency_us;
    std::string first_error;
    Clock::time_point start, deadline = Clock::time_point::max();
};

std::string url_encode(std::string_view s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
        else { out += '%'; out += hex[c >> 4]; out += hex[c & 15]; }
    }
    return out;
}

std::string form(const Options& o, const std::string& refresh_token) {
    std::string f = "grant_type=" + url_encode(o.get("grant")) + "&scope=" + url_encode(o.get("scope"));
    if (!o.get("client-id").empty()) f += "&client_id=" + url_encode(o.get("client-id"));
    if (!o.get("client-secret").empty()) f += "&client_secret=" + url_encode(o.get("client-secret"));
    if (o.get("grant") == "refresh_token") f += "&refresh_token=" + url_encode(refresh_token);
    return f;
}

using Stream = beast::ssl_stream<beast::tcp_stream>;

// One token request on an open connection: the refresh token of the answer (or empty); throws with
// the status and the start of the body when the answer is not a token.
awaitable<std::string> request_token(Stream& stream, beast::flat_buffer& buffer, const Options& o,
                                     const std::string& refresh_token) {
    http::request<http::string_body> req{http::verb::post, o.get("path"), 11};
    req.set(http::field::host, o.get("servername"));
    req.set(http::field::content_type, "application/x-www-form-urlencoded");
    req.body() = form(o, refresh_token);
    req.prepare_payload();
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(30));
    co_await http::async_write(stream, req, use_awaitable);
    http::response<http::string_body> res;
    co_await http::async_read(stream, buffer, res, use_awaitable);
    json::error_code ec;
    json::value v = json::parse(res.body(), ec);
    const json::object* obj = ec ? nullptr : v.if_object();
    if (res.result_int() != 200 || !obj || !obj->contains("access_token"))
        throw std::runtime_error("HTTP " + std::to_string(res.result_int()) + ": " + res.body().substr(0, 200));
    const json::value* rt = obj->if_contains("refresh_token");
    co_return rt && rt->is_string() ? std::string(rt->as_string()) : std::string();
}

awaitable<void> client(asio::ssl::context& ctx, const Options& o, Shared& s, asio::steady_timer& barrier) {
    auto ex = co_await asio::this_coro::executor;
    Stream stream(ex, ctx);
    std::string rt = o.get("refresh-token");
    try {
        const std::string name = o.get("servername");
        if (!SSL_set_tlsext_host_name(stream.native_handle(), name.c_str())) throw std::runtime_error("SNI");
        stream.set_verify_callback(asio::ssl::host_name_verification(name));
        asio::ip::tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(o.num("port")));
        co_await beast::get_lowest_layer(stream).async_connect(ep, use_awaitable);
        co_await stream.async_handshake(asio::ssl::stream_base::client, use_awaitable);
        beast::flat_buffer buffer;
        if (std::string next = co_await request_token(stream, buffer, o, rt); !next.empty()) rt = next;  // warm-up
        if (++s.ready == o.num("clients")) barrier.cancel();
        else co_await barrier.async_wait(asio::as_tuple(use_awaitable));
        while (s.started < s.budget && Clock::now() < s.deadline) {
            ++s.started;
            auto t0 = Clock::now();
            if (std::string next = co_await request_token(stream, buffer, o, rt); !next.empty()) rt = next;
            s.latency_us.push_back(static_cast<std::uint32_t>(
                std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count()));
            ++s.ok;
        }
    } catch (const std::exception& e) {
        ++s.failed;
        if (s.first_error.empty()) s.first_error = e.what();
        if (++s.ready == o.num("clients")) barrier.cancel();  // never hold the others back
    }
}

double cpu_seconds() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

double pct_ms(std::vector<std::uint32_t> v, double p) {
    if (v.empty()) return 0;
    std::size_t k = static_cast<std::size_t>(p / 100.0 * (v.size() - 1) + 0.5);
    std::nth_element(v.begin(), v.begin() + k, v.end());
    return v[k] / 1000.0;
}

int usage() {
    std::cerr << "usage: token-loadgen --port P --ca CA.pem [--servername N] [--path /token] "
                 "[--grant client_credentials|refresh_token] [--clients C] [--requests N] [--max-seconds S] "
                 "[--client-id ID] [--client-secret S] [--scope S] [--refresh-token RT] [--label L]\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string k = argv[i];
        if (k.rfind("--", 0) != 0) return usage();
        o.v[k.substr(2)] = argv[i + 1];
    }
    if (argc % 2 == 0 || o.get("port").empty() || o.get("ca").empty()) return usage();
    asio::io_context io(1);
    asio::ssl::context ctx(asio::ssl::context::tls_client);
    ctx.set_verify_mode(asio::ssl::verify_peer);
    ctx.load_verify_file(o.get("ca"));
    Shared s;
    s.budget = o.num("requests");
    asio::steady_timer barrier(io, Clock::time_point::max());
    for (long i = 0; i < o.num("clients"); ++i)
        asio::co_spawn(io, client(ctx, o, s, barrier), asio::detached);
    // Run the connections and warm-up requests, then start the clock once every client is ready.
    while (s.ready < o.num("clients") && io.run_one()) {}
    const double cpu0 = cpu_seconds();
    s.start = Clock::now();
    s.deadline = s.start + std::chrono::milliseconds(static_cast<long>(std::stod(o.get("max-seconds")) * 1000));
    io.run();
    const double elapsed = std::chrono::duration<double>(Clock::now() - s.start).count();
    const double cpu = cpu_seconds() - cpu0;
    std::ostringstream out;
    out.setf(std::ios::fixed);
    out.precision(3);
    out << "{\"tool\":\"token-loadgen\",\"label\":" << json::serialize(json::string(o.get("label")))
        << ",\"grant\":" << json::serialize(json::string(o.get("grant"))) << ",\"clients\":" << o.num("clients")
        << ",\"requests\":" << s.budget << ",\"ok\":" << s.ok << ",\"failed\":" << s.failed
        << ",\"timed_out\":" << (s.started < s.budget && !s.failed ? "true" : "false") << ",\"elapsed_s\":" << elapsed
        << ",\"tokens_per_s\":" << (elapsed > 0 ? s.ok / elapsed : 0) << ",\"latency_ms\":{\"p50\":"
        << pct_ms(s.latency_us, 50) << ",\"p90\":" << pct_ms(s.latency_us, 90) << ",\"p99\":" << pct_ms(s.latency_us, 99)
        << ",\"max\":" << pct_ms(s.latency_us, 100) << "},\"driver_cpu_s\":" << cpu
        << ",\"first_error\":" << json::serialize(json::string(s.first_error)) << "}";
    std::cout << out.str() << std::endl;
    return s.failed ? 1 : 0;
}
