#pragma once
// A blocking raw SMTP client for transport tests: exact bytes out, replies in, with timeouts,
// so tests control segmentation (one write = one send call) and see read boundaries.
#include <poll.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>

#include "transport/tls_context.hpp"

namespace exosim::test {

namespace asio = boost::asio;
using std::chrono::milliseconds;

class SmtpTestClient {
public:
    explicit SmtpTestClient(std::uint16_t port, const std::string& bind_address = "127.0.0.1") : socket_(io_) {
        auto address = asio::ip::make_address(bind_address);
        socket_.open(asio::ip::tcp::v4());
        socket_.bind({address, 0});
        socket_.connect({asio::ip::make_address("127.0.0.1"), port});
        socket_.set_option(asio::ip::tcp::no_delay(true));
    }

    void send(std::string_view bytes) {
        boost::system::error_code ec;
        if (tls_) asio::write(*tls_, asio::buffer(bytes.data(), bytes.size()), ec);
        else asio::write(socket_, asio::buffer(bytes.data(), bytes.size()), ec);
    }

    // One complete reply ("250-a\r\n250 b\r\n"), or what arrived before the timeout / close.
    std::string read_reply(milliseconds timeout = milliseconds(2000)) {
        auto until = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            if (auto reply = take_reply()) return *reply;
            if (!fill(until)) return std::exchange(buffer_, {});
        }
    }

    // Everything that arrives within `wait`.
    std::string read_available(milliseconds wait) {
        auto until = std::chrono::steady_clock::now() + wait;
        while (fill(until)) {
        }
        return std::exchange(buffer_, {});
    }

    // True when the server closes (EOF or reset) within `wait`; data before the close is dropped.
    bool closed(milliseconds wait = milliseconds(2000)) {
        auto until = std::chrono::steady_clock::now() + wait;
        while (fill(until)) buffer_.clear();
        return eof_;
    }

    // Handshake on the same socket (after a 220 to STARTTLS, or first thing for implicit TLS).
    bool starttls(const std::filesystem::path& ca_file, std::string_view host = "localhost") {
        transport::ClientTlsOptions options;
        options.ca_file = ca_file;
        options.verify_host = std::string(host);
        context_ = transport::make_client_context(options);
        tls_.emplace(socket_, *context_);
        transport::apply_client_host(tls_->native_handle(), std::string(host), true);
        boost::system::error_code ec;
        tls_->handshake(asio::ssl::stream_base::client, ec);
        // Non-blocking from here: a TLS 1.3 session ticket makes the socket readable without
        // application data, and a blocking read would then hang.
        socket_.non_blocking(true);
        return !ec;
    }

    const std::string& pending() const { return buffer_; }

private:
    std::optional<std::string> take_reply() {
        std::size_t start = 0;
        for (;;) {
            std::size_t end = buffer_.find("\r\n", start);
            if (end == std::string::npos) return std::nullopt;
            if (end - start >= 4 && buffer_[start + 3] == ' ') {
                std::string reply = buffer_.substr(0, end + 2);
                buffer_.erase(0, end + 2);
                return reply;
            }
            if (end - start < 4) {  // not a reply line: hand over what there is
                std::string reply = buffer_.substr(0, end + 2);
                buffer_.erase(0, end + 2);
                return reply;
            }
            start = end + 2;
        }
    }

    // Reads once; false on timeout or EOF.
    bool fill(std::chrono::steady_clock::time_point until) {
        if (eof_) return false;
        bool ready = tls_ && SSL_pending(tls_->native_handle()) > 0;
        if (!ready) {
            auto left = std::chrono::duration_cast<milliseconds>(until - std::chrono::steady_clock::now());
            if (left.count() <= 0) return false;
            pollfd p{socket_.native_handle(), POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
        }
        char data[16384];
        boost::system::error_code ec;
        std::size_t n = tls_ ? tls_->read_some(asio::buffer(data), ec) : socket_.read_some(asio::buffer(data), ec);
        if (ec == asio::error::would_block || ec == asio::error::try_again) return true;
        if (ec) {
            eof_ = true;
            return false;
        }
        buffer_.append(data, n);
        return true;
    }

    asio::io_context io_;
    asio::ip::tcp::socket socket_;
    std::shared_ptr<asio::ssl::context> context_;
    std::optional<asio::ssl::stream<asio::ip::tcp::socket&>> tls_;
    std::string buffer_;
    bool eof_ = false;
};

}  // namespace exosim::test
