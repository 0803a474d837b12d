#include "reference/client_session.hpp"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <array>
#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ssl.hpp>
#include <iostream>
#include <memory>
#include <optional>

namespace exosim::client {
namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
using asio::ip::tcp;
using boost::system::error_code;
using namespace asio::experimental::awaitable_operators;

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
// RFC 5321 4.5.3.2.5 times each block of data; this is the block.
constexpr std::size_t write_block = 64 * 1024;

struct AttemptResult {
    Outcome outcome;
    std::string tls_version;
    bool tls_failed = false;
};

void transcript(bool verbose, std::string_view prefix, std::string_view text) {
    if (!verbose) return;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        if (line.ends_with('\r')) line.remove_suffix(1);
        std::cerr << prefix << line << '\n';
        pos = end + 1;
    }
}

bool is_ip_literal(const std::string& name) {
    error_code ec;
    asio::ip::make_address(name, ec);
    return !ec;
}

ssl::context make_context(const TlsOptions& o) {
    ssl::context ctx(ssl::context::tls_client);
    SSL_CTX* native = ctx.native_handle();
    if (o.min_version != 0) SSL_CTX_set_min_proto_version(native, o.min_version);
    if (o.max_version != 0) SSL_CTX_set_max_proto_version(native, o.max_version);
    // Debian's default security level refuses TLS 1.0/1.1 even when asked for: lower it only when the
    // user explicitly allowed them (CC-09 needs a client that can speak them).
    if (o.min_version != 0 && o.min_version < TLS1_2_VERSION) {
        SSL_CTX_set_security_level(native, 0);
        SSL_CTX_set_cipher_list(native, "DEFAULT:@SECLEVEL=0");
    }
    if (o.ca_file.empty()) ctx.set_default_verify_paths();
    else ctx.load_verify_file(o.ca_file);
    if (!o.cert_file.empty()) ctx.use_certificate_chain_file(o.cert_file);
    if (!o.key_file.empty()) ctx.use_private_key_file(o.key_file, ssl::context::pem);
    ctx.set_verify_mode(o.verify ? ssl::verify_peer : ssl::verify_none);
    return ctx;
}

// A TCP socket, TLS-wrapped after the upgrade; every operation has a deadline.
class Connection {
public:
    explicit Connection(tcp::socket socket) : socket_(std::move(socket)) {}

    asio::awaitable<std::pair<error_code, std::size_t>> read_some(asio::mutable_buffer buffer,
                                                                  std::chrono::seconds limit) {
        asio::steady_timer timer(socket_.get_executor(), limit);
        auto read = tls_ ? tls_->async_read_some(buffer, use_tuple) : socket_.async_read_some(buffer, use_tuple);
        auto result = co_await (std::move(read) || timer.async_wait(use_tuple));
        if (result.index() == 1) co_return std::pair{error_code(asio::error::timed_out), std::size_t{0}};
        auto [ec, n] = std::get<0>(result);
        co_return std::pair{ec, n};
    }

    asio::awaitable<error_code> write(std::string_view bytes, std::chrono::seconds per_block) {
        for (std::size_t pos = 0; pos < bytes.size(); pos += write_block) {
            asio::const_buffer block = asio::buffer(bytes.substr(pos, write_block));
            asio::steady_timer timer(socket_.get_executor(), per_block);
            auto write = tls_ ? asio::async_write(*tls_, block, use_tuple) : asio::async_write(socket_, block, use_tuple);
            auto result = co_await (std::move(write) || timer.async_wait(use_tuple));
            if (result.index() == 1) co_return error_code(asio::error::timed_out);
            if (auto [ec, n] = std::get<0>(result); ec) co_return ec;
        }
        co_return error_code{};
    }

    // The ssl::stream is built only now, on the bare socket: the codec has already dropped whatever
    // plaintext arrived after the 220 (TLS-01), and nothing else buffers it.
    asio::awaitable<error_code> handshake(ssl::context& ctx, const TlsOptions& o, std::chrono::seconds limit) {
        tls_ = std::make_unique<ssl::stream<tcp::socket&>>(socket_, ctx);
        SSL* native = tls_->native_handle();
        if (is_ip_literal(o.servername)) {
            X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(native), o.servername.c_str());
        } else {
            SSL_set_tlsext_host_name(native, o.servername.c_str());  // RFC 6066 3: no SNI for IPs
            SSL_set1_host(native, o.servername.c_str());
        }
        asio::steady_timer timer(socket_.get_executor(), limit);
        auto result = co_await (tls_->async_handshake(ssl::stream_base::client, use_tuple) || timer.async_wait(use_tuple));
        if (result.index() == 1) co_return error_code(asio::error::timed_out);
        co_return std::get<0>(std::get<0>(result));
    }

    std::string tls_version() const { return tls_ ? SSL_get_version(tls_->native_handle()) : ""; }

    std::string tls_error(const error_code& ec) const {
        long verify = tls_ ? SSL_get_verify_result(tls_->native_handle()) : X509_V_OK;
        if (verify != X509_V_OK) return std::string("certificate verify failed: ") + X509_verify_cert_error_string(verify);
        return "TLS handshake failed: " + ec.message();
    }

    void close() {
        error_code ignored;
        socket_.shutdown(tcp::socket::shutdown_both, ignored);
        socket_.close(ignored);
    }

private:
    tcp::socket socket_;
    std::unique_ptr<ssl::stream<tcp::socket&>> tls_;
};

Outcome failed(const ClientCodec& codec, Result result, std::string detail) {
    Outcome out = codec.outcome();
    out.result = result;
    out.detail = std::move(detail);
    return out;
}

// Executes the codec's actions and feeds it what the server sends, until it is finished.
asio::awaitable<void> pump(Connection& conn, ClientCodec& codec, const SessionOptions& o, ssl::context& ctx,
                           AttemptResult& out) {
    std::array<char, 16 * 1024> buffer;
    bool closed = false;
    while (true) {
        for (auto actions = codec.take_actions(); !actions.empty() && !closed; actions = codec.take_actions()) {
            for (ClientAction& a : actions) {
                if (closed) break;
                if (a.kind == ClientAction::Kind::send) {
                    transcript(o.verbose, "C: ", a.log);
                    if (co_await conn.write(a.bytes, o.timeouts.data_block)) codec.on_closed();
                } else if (a.kind == ClientAction::Kind::start_tls) {
                    if (error_code ec = co_await conn.handshake(ctx, o.tls, o.timeouts.tls)) {
                        // TLS-04: a failed upgrade ends the connection; never go on in plaintext.
                        out.tls_failed = true;
                        out.outcome = failed(codec, Result::tls_error, conn.tls_error(ec));
                        conn.close();
                        co_return;
                    }
                    out.tls_version = conn.tls_version();
                    transcript(o.verbose, "*: ", "TLS established: " + out.tls_version);
                    codec.on_tls_established();
                } else {
                    conn.close();
                    closed = true;
                }
            }
        }
        if (closed || codec.finished()) break;
        auto [ec, n] = co_await conn.read_some(asio::buffer(buffer), o.timeouts.for_wait(codec.waiting_for()));
        if (ec == asio::error::timed_out) {
            transcript(o.verbose, "*: ", "timeout");
            codec.on_timeout();
        } else if (ec) {
            transcript(o.verbose, "*: ", "connection closed: " + ec.message());
            codec.on_closed();
        } else {
            transcript(o.verbose, "S: ", std::string_view(buffer.data(), n));
            codec.on_bytes(std::string_view(buffer.data(), n));
        }
    }
    if (!closed) conn.close();
    out.outcome = codec.outcome();
}

// Binds the socket to `source` (port 0) and connects to the first endpoint of its address family:
// asio::async_connect reopens the socket per endpoint, which would drop the binding.
asio::awaitable<std::optional<std::string>> connect_from(tcp::socket& socket, const tcp::resolver::results_type& endpoints,
                                                         const std::string& source, asio::steady_timer& timer) {
    error_code ec;
    const asio::ip::address local = asio::ip::make_address(source, ec);
    if (ec) co_return "bad source address " + source;
    for (const tcp::endpoint& remote : endpoints) {
        if (remote.address().is_v4() != local.is_v4()) continue;
        socket.open(remote.protocol(), ec);
        if (!ec) socket.bind(tcp::endpoint(local, 0), ec);
        if (ec) co_return "bind " + source + ": " + ec.message();
        auto done = co_await (socket.async_connect(remote, use_tuple) || timer.async_wait(use_tuple));
        if (done.index() == 1) co_return "timeout";
        if (auto err = std::get<0>(std::get<0>(done))) co_return err.message();
        co_return std::nullopt;
    }
    co_return "no " + std::string(local.is_v4() ? "IPv4" : "IPv6") + " address for the server to reach from " + source;
}

asio::awaitable<AttemptResult> run_attempt(const SessionOptions& o, ssl::context& ctx, ClientConfig config) {
    auto executor = co_await asio::this_coro::executor;
    bool implicit = config.security == Security::implicit;
    ClientCodec codec(std::move(config));
    AttemptResult out;
    tcp::resolver resolver(executor);
    auto [rec, endpoints] = co_await resolver.async_resolve(o.host, o.port, use_tuple);
    if (rec) co_return AttemptResult{failed(codec, Result::deferred, "resolve: " + rec.message()), {}, false};
    tcp::socket socket(executor);
    asio::steady_timer timer(executor, o.timeouts.connect);
    std::optional<std::string> unreachable;
    if (o.source_address.empty()) {
        auto connected = co_await (asio::async_connect(socket, endpoints, use_tuple) || timer.async_wait(use_tuple));
        if (connected.index() == 1) unreachable = "timeout";
        else if (auto ec = std::get<0>(std::get<0>(connected))) unreachable = ec.message();
    } else {
        unreachable = co_await connect_from(socket, endpoints, o.source_address, timer);
    }
    if (unreachable) co_return AttemptResult{failed(codec, Result::deferred, "connect: " + *unreachable), {}, false};
    transcript(o.verbose, "*: ", "connected to " + o.host + ":" + o.port);
    Connection conn(std::move(socket));
    if (implicit) {
        // RFC 8314 3: TLS first; a plaintext greeting makes the handshake fail (CC-10).
        if (error_code ec = co_await conn.handshake(ctx, o.tls, o.timeouts.tls)) {
            conn.close();
            co_return AttemptResult{failed(codec, Result::tls_error, conn.tls_error(ec)), "", true};
        }
        out.tls_version = conn.tls_version();
    }
    codec.on_connected(implicit);
    co_await pump(conn, codec, o, ctx, out);
    co_return out;
}

AttemptResult run_one(asio::io_context& io, const SessionOptions& o, ssl::context& ctx, const ClientConfig& config) {
    AttemptResult result;
    asio::co_spawn(io, run_attempt(o, ctx, config), [&](std::exception_ptr e, AttemptResult r) {
        if (!e) {
            result = std::move(r);
            return;
        }
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& ex) {
            result.outcome.result = Result::deferred;
            result.outcome.detail = std::string("internal error: ") + ex.what();
            result.outcome.deferred = config.recipients;
        }
    });
    io.run();
    io.restart();
    return result;
}

void merge(DeliveryReport& report, const AttemptResult& r) {
    const Outcome& o = r.outcome;
    report.accepted.insert(report.accepted.end(), o.accepted.begin(), o.accepted.end());
    report.rejected.insert(report.rejected.end(), o.rejected.begin(), o.rejected.end());
    report.deferred = o.deferred;
    report.reply = o.reply;
    report.detail = o.detail;
    if (!r.tls_version.empty()) report.tls_version = r.tls_version;
    if (!o.auth_used.empty()) report.auth_used = o.auth_used;
    report.result = o.result;
    // Recipients refused on an earlier attempt still make a later full delivery a partial one.
    if (report.result == Result::delivered && !report.rejected.empty()) report.result = Result::rejected;
}

}  // namespace

void Timeouts::cap(std::chrono::seconds limit) {
    for (std::chrono::seconds* t : {&connect, &greeting, &command, &mail, &rcpt, &data_init, &data_block, &data_term, &tls})
        *t = std::min(*t, limit);
}

std::chrono::seconds Timeouts::for_wait(Wait wait) const {
    switch (wait) {
    case Wait::greeting: return greeting;
    case Wait::mail: return mail;
    case Wait::rcpt: return rcpt;
    case Wait::data_init: return data_init;
    case Wait::data_term: return data_term;
    case Wait::tls: return tls;
    default: return command;
    }
}

DeliveryReport deliver(const SessionOptions& options, ClientConfig config) {
    ssl::context ctx = make_context(options.tls);
    asio::io_context io;
    DeliveryReport report;
    for (int attempt = 1;; ++attempt) {
        AttemptResult result = run_one(io, options, ctx, config);
        report.attempts = attempt;
        merge(report, result);
        bool again = result.outcome.result == Result::deferred && !result.outcome.deferred.empty() &&
                     attempt <= options.retries && !config.quirks.no_retry;
        if (!again) break;
        config.recipients = result.outcome.deferred;
        // Exponential backoff, on a timer rather than a sleep (STYLE.md), capped at 5 minutes.
        auto delay = std::min<std::chrono::milliseconds>(options.retry_delay * (1LL << std::min(attempt - 1, 20)),
                                                         std::chrono::minutes(5));
        transcript(options.verbose, "*: ", "retrying in " + std::to_string(delay.count()) + " ms");
        asio::steady_timer timer(io, delay);
        timer.wait();
    }
    return report;
}

}  // namespace exosim::client
