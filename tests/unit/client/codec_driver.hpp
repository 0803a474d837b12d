#pragma once
// Drives a ClientCodec with scripted server replies and returns exactly what it would put on the wire.
// "<TLS>" marks a start_tls action and "<CLOSE>" a close, in order with the bytes.
#include <string>
#include <string_view>

#include "reference/client_codec.hpp"

namespace exosim::client::test {

// The default path of the client-side cases (CC-*) of docs/reference/security-tests.md.
inline constexpr std::string_view greeting = "220 mock.example ESMTP\r\n";
inline constexpr std::string_view pre_tls_ehlo =
    "250-mock.example\r\n250-PIPELINING\r\n250-SIZE 36700160\r\n250-STARTTLS\r\n250 8BITMIME\r\n";
inline constexpr std::string_view post_tls_ehlo =
    "250-mock.example\r\n250-SIZE 36700160\r\n250-AUTH LOGIN XOAUTH2\r\n250 8BITMIME\r\n";

inline ClientConfig base_config() {
    ClientConfig c;
    c.security = Security::starttls;
    c.auth = AuthMechanism::login;
    c.user = "printer@contoso.com";
    c.password = "Printer-Pass-1";
    c.helo = "printer.local";
    c.from = "printer@contoso.com";
    c.recipients = {"alice@contoso.com"};
    c.message = "Subject: Scan\r\n\r\nhello\r\n";
    return c;
}

class CodecDriver {
public:
    explicit CodecDriver(ClientConfig config) : codec_(config) {
        codec_.on_connected(config.security == Security::implicit);
        pump();
    }
    std::string reply(std::string_view bytes) {
        codec_.on_bytes(bytes);
        return pump();
    }
    std::string tls() {
        codec_.on_tls_established();
        return pump();
    }
    std::string closed() {
        codec_.on_closed();
        return pump();
    }
    std::string timeout() {
        codec_.on_timeout();
        return pump();
    }
    // Greeting, EHLO, STARTTLS, TLS, EHLO again: the codec then stands where AUTH starts.
    std::string up_to_auth(std::string_view after_tls_ehlo = post_tls_ehlo) {
        reply(greeting);
        reply(pre_tls_ehlo);
        reply("220 2.0.0 Ready to start TLS\r\n");
        tls();
        return reply(after_tls_ehlo);
    }
    ClientCodec& codec() { return codec_; }
    const Outcome& outcome() const { return codec_.outcome(); }

private:
    std::string pump() {
        std::string out;
        for (ClientAction& a : codec_.take_actions()) {
            if (a.kind == ClientAction::Kind::send) out += a.bytes;
            else out += a.kind == ClientAction::Kind::start_tls ? "<TLS>" : "<CLOSE>";
        }
        return out;
    }
    ClientCodec codec_;
};

}  // namespace exosim::client::test
