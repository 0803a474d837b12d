#include "session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <optional>
#include <stdexcept>
#include <unordered_set>

namespace loadgen {
namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
template <class T> using awaitable = asio::awaitable<T>;
constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

// RFC 5321 4.5.3.1.5: a reply line is at most 512 octets; allow slack for chatty servers.
constexpr std::size_t max_reply_buffer = 64 * 1024;

// A failed step. kind is a short stable name used for counting ("connect", "reply_mail", "timeout").
struct StepError : std::runtime_error {
    StepError(std::string k, const std::string& what) : std::runtime_error(what), kind(std::move(k)) {}
    std::string kind;
};

std::uint32_t micros_since(Clock::time_point t0) {
    return static_cast<std::uint32_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count());
}

std::string base64(std::string_view in) {
    static constexpr char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
        out += {table[v >> 18], table[(v >> 12) & 63], table[(v >> 6) & 63], table[v & 63]};
    }
    if (i + 1 == in.size()) {
        unsigned v = (unsigned char)in[i] << 16;
        out += {table[v >> 18], table[(v >> 12) & 63], '=', '='};
    } else if (i + 2 == in.size()) {
        unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8;
        out += {table[v >> 18], table[(v >> 12) & 63], table[(v >> 6) & 63], '='};
    }
    return out;
}

class Connection;

// Shared state of one run. Single-threaded: every coroutine runs on the same io_context thread.
struct Run {
    Run(asio::io_context& io_, const Options& o, ssl::context* t)
        : io(io_), opt(o), tls(t), cap(io_), watchdog(io_) {}
    asio::io_context& io;
    const Options& opt;
    ssl::context* tls;
    tcp::endpoint endpoint;
    std::string payload, ehlo, mail, rcpt, user_b64, password_b64, xoauth2;
    long claimed = 0;
    bool stopping = false;
    int workers_left = 0;
    std::unordered_set<Connection*> live;
    asio::steady_timer cap, watchdog;
    Results res;

    // Takes one message from the budget; false once it is spent or the run is stopping.
    bool claim() {
        if (stopping || claimed >= opt.messages) return false;
        ++claimed;
        return true;
    }
    void record(const StepError& e) {
        ++res.errors[e.kind];
        if (res.first_error.empty()) res.first_error = e.what();
    }
};

class Connection {
public:
    explicit Connection(Run& run) : run_(run), sock_(run.io) { run_.live.insert(this); }
    ~Connection() { run_.live.erase(this); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Closes the socket so the pending operation fails; the owner reports `why`.
    void abort(const char* why) {
        if (abort_reason_) return;
        abort_reason_ = why;
        boost::system::error_code ec;
        sock_.close(ec);
    }
    bool overdue(Clock::time_point now) const { return now > deadline_; }

    // Connect, greeting, EHLO, optional STARTTLS + EHLO, optional AUTH LOGIN.
    awaitable<void> open() {
        arm();
        auto [ec] = co_await sock_.async_connect(run_.endpoint, tuple_awaitable);
        if (ec) fail("connect", "connect", ec);
        sock_.set_option(tcp::no_delay(true), ec);
        co_await expect(2, "greeting");
        co_await command(run_.ehlo, 2, "ehlo");
        if (run_.opt.tls == TlsMode::starttls) {
            co_await command("STARTTLS\r\n", 2, "starttls");
            co_await start_tls();
            co_await command(run_.ehlo, 2, "ehlo_tls");
        }
        if (!run_.opt.xoauth2_token.empty()) {
            co_await command(run_.xoauth2, 2, "auth_xoauth2");
        } else if (!run_.opt.user.empty()) {
            co_await command("AUTH LOGIN\r\n", 3, "auth");
            co_await command(run_.user_b64, 3, "auth_user");
            co_await command(run_.password_b64, 2, "auth_password");
        }
    }

    // One mail transaction: MAIL, RCPT, DATA, content, final reply.
    awaitable<void> transaction() {
        co_await command(run_.mail, 2, "mail");
        co_await command(run_.rcpt, 2, "rcpt");
        co_await command("DATA\r\n", 3, "data");
        co_await send(run_.payload, "content");
        co_await expect(2, "dot");
    }

    awaitable<void> quit() { co_await command("QUIT\r\n", 2, "quit"); }

private:
    void arm() {
        deadline_ = Clock::now() + std::chrono::microseconds(static_cast<long>(run_.opt.io_timeout * 1e6));
    }

    [[noreturn]] void fail(const char* kind, const char* stage, boost::system::error_code ec) {
        if (abort_reason_) throw StepError(abort_reason_, std::string(stage) + ": " + abort_reason_);
        throw StepError(kind, std::string(stage) + ": " + ec.message());
    }

    awaitable<void> send(std::string_view bytes, const char* stage) {
        arm();
        auto buf = asio::buffer(bytes.data(), bytes.size());
        auto [ec, n] = tls_ ? co_await asio::async_write(*tls_, buf, tuple_awaitable)
                            : co_await asio::async_write(sock_, buf, tuple_awaitable);
        if (ec) fail("io", stage, ec);
    }

    // Reads one (possibly multi-line) reply and returns its code.
    awaitable<int> read_reply(const char* stage) {
        for (;;) {
            arm();
            auto dyn = asio::dynamic_buffer(buf_, max_reply_buffer);
            auto [ec, n] = tls_ ? co_await asio::async_read_until(*tls_, dyn, "\r\n", tuple_awaitable)
                                : co_await asio::async_read_until(sock_, dyn, "\r\n", tuple_awaitable);
            if (ec) fail(ec == asio::error::eof ? "closed" : "io", stage, ec);
            std::string_view line(buf_.data(), n - 2);
            if (line.size() < 3 || line[0] < '1' || line[0] > '5' || (line.size() > 3 && line[3] != ' ' && line[3] != '-'))
                throw StepError("protocol", std::string(stage) + ": bad reply line: " + std::string(line.substr(0, 80)));
            int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
            bool last = line.size() == 3 || line[3] == ' ';
            if (last) last_line_.assign(line.substr(0, 200));
            buf_.erase(0, n);
            if (last) co_return code;
        }
    }

    awaitable<void> expect(int klass, const char* stage) {
        int code = co_await read_reply(stage);
        if (code / 100 != klass) throw StepError(std::string("reply_") + stage, std::string(stage) + ": " + last_line_);
    }

    awaitable<void> command(std::string_view line, int klass, const char* stage) {
        co_await send(line, stage);
        co_await expect(klass, stage);
    }

    awaitable<void> start_tls() {
        // No pipelining: nothing may follow the 220 (RFC 3207 4.2, and STARTTLS injection).
        if (!buf_.empty()) throw StepError("protocol", "starttls: bytes after the 220 reply");
        tls_.emplace(sock_, *run_.tls);
        const auto& sni = run_.opt.sni;
        if (!sni.empty()) {
            SSL_set_tlsext_host_name(tls_->native_handle(), sni.c_str());
            if (run_.opt.verify) tls_->set_verify_callback(ssl::host_name_verification(sni));
        }
        arm();
        auto [ec] = co_await tls_->async_handshake(ssl::stream_base::client, tuple_awaitable);
        if (ec) fail("tls_handshake", "tls handshake", ec);
        if (run_.res.tls_protocol.empty()) {
            run_.res.tls_protocol = SSL_get_version(tls_->native_handle());
            run_.res.tls_cipher = SSL_get_cipher_name(tls_->native_handle());
        }
    }

    Run& run_;
    tcp::socket sock_;
    std::optional<ssl::stream<tcp::socket&>> tls_;
    std::string buf_;
    std::string last_line_;
    Clock::time_point deadline_{};
    const char* abort_reason_ = nullptr;
};

awaitable<void> worker(Run& run) {
    while (run.claim()) {
        bool pending = true;  // one claimed message not yet accounted for
        Connection conn(run);
        ++run.res.connections;
        try {
            auto t0 = Clock::now();
            try {
                co_await conn.open();
            } catch (const StepError& e) {
                if (e.kind == "connect") ++run.res.connections_failed;
                throw;
            }
            run.res.setup_us.push_back(micros_since(t0));
            for (long sent = 0;;) {
                auto t1 = Clock::now();
                co_await conn.transaction();
                run.res.latency_us.push_back(micros_since(t1));
                ++run.res.messages_ok;
                pending = false;
                ++sent;
                if ((run.opt.per_connection && sent >= run.opt.per_connection) || !run.claim()) break;
                pending = true;
            }
            co_await conn.quit();
        } catch (const StepError& e) {
            if (pending && e.kind == "aborted") ++run.res.messages_aborted;
            else if (pending) ++run.res.messages_failed;
            if (e.kind != "aborted") run.record(e);
        }
    }
    if (--run.workers_left == 0) {
        run.cap.cancel();
        run.watchdog.cancel();
    }
}

// Every 100 ms, aborts connections whose current read or write is past --io-timeout.
awaitable<void> watchdog(Run& run) {
    while (run.workers_left > 0) {
        run.watchdog.expires_after(std::chrono::milliseconds(100));
        co_await run.watchdog.async_wait(tuple_awaitable);
        auto now = Clock::now();
        for (Connection* c : run.live)
            if (c->overdue(now)) c->abort("timeout");
    }
}

awaitable<void> time_cap(Run& run) {
    run.cap.expires_after(std::chrono::microseconds(static_cast<long>(run.opt.max_seconds * 1e6)));
    auto [ec] = co_await run.cap.async_wait(tuple_awaitable);
    if (ec || run.workers_left == 0) co_return;
    run.stopping = true;
    run.res.timed_out = true;
    std::vector<Connection*> all(run.live.begin(), run.live.end());
    for (Connection* c : all) c->abort("aborted");
}

}  // namespace

std::string make_payload(const Options& opt) {
    std::string p = "From: <" + opt.from + ">\r\nTo: <" + opt.to + ">\r\n"
                    "Subject: smtp-loadgen test message\r\n"
                    "Message-ID: <smtp-loadgen@contoso.com>\r\n"
                    "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n";
    static constexpr std::string_view filler =
        "The quick brown fox jumps over the lazy dog 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    while (p.size() + 2 < opt.size) {
        std::size_t n = std::min<std::size_t>(76, opt.size - p.size() - 2);
        p.append(filler.substr(0, n));  // never starts with '.': no dot-stuffing needed
        p += "\r\n";
    }
    p += ".\r\n";
    return p;
}

Results run_load(asio::io_context& io, const Options& opt, ssl::context* tls) {
    Run run(io, opt, tls);
    auto host = opt.host == "localhost" ? std::string("127.0.0.1") : opt.host;
    run.endpoint = tcp::endpoint(asio::ip::make_address(host), opt.port);
    run.payload = make_payload(opt);
    run.ehlo = "EHLO " + opt.helo + "\r\n";
    run.mail = "MAIL FROM:<" + opt.from + ">\r\n";
    run.rcpt = "RCPT TO:<" + opt.to + ">\r\n";
    run.user_b64 = base64(opt.user) + "\r\n";
    run.password_b64 = base64(opt.password) + "\r\n";
    run.xoauth2 = "AUTH XOAUTH2 " + base64("user=" + opt.user + "\x01" "auth=Bearer " + opt.xoauth2_token + "\x01\x01") + "\r\n";
    run.res.latency_us.reserve(static_cast<std::size_t>(opt.messages));

    auto t0 = Clock::now();
    run.workers_left = static_cast<int>(std::min<long>(opt.sessions, opt.messages));
    const int workers = run.workers_left;
    for (int i = 0; i < workers; ++i) asio::co_spawn(io, worker(run), asio::detached);
    asio::co_spawn(io, watchdog(run), asio::detached);
    asio::co_spawn(io, time_cap(run), asio::detached);
    io.run();
    run.res.elapsed_s = std::chrono::duration<double>(Clock::now() - t0).count();
    return std::move(run.res);
}

}  // namespace loadgen
