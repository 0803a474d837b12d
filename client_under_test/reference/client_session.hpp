#pragma once
// The Asio side of the reference client: TCP, implicit TLS or the STARTTLS upgrade, RFC 5321 4.5.3.2
// timeouts and the retry policy. It executes the codec's actions and never interprets SMTP itself.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "reference/client_codec.hpp"

namespace exosim::client {

struct TlsOptions {
    std::string ca_file;     // empty: the system's trust store
    std::string servername;  // SNI and the name verified in the certificate (an IP literal is verified as IP)
    int min_version = 0;     // TLS1_2_VERSION etc.; 0 leaves OpenSSL's default
    int max_version = 0;
    std::string cert_file;   // client certificate (chain, PEM)
    std::string key_file;
    bool verify = true;      // off only for --quirk accept-bad-cert
};

// RFC 5321 4.5.3.2 minimums; --timeout caps every one of them.
struct Timeouts {
    std::chrono::seconds connect{60};
    std::chrono::seconds greeting{300};  // 4.5.3.2.1
    std::chrono::seconds command{300};   // EHLO, STARTTLS, AUTH, RSET, QUIT: MAIL's value
    std::chrono::seconds mail{300};      // 4.5.3.2.2
    std::chrono::seconds rcpt{300};      // 4.5.3.2.3
    std::chrono::seconds data_init{120}; // 4.5.3.2.4
    std::chrono::seconds data_block{180};// 4.5.3.2.5, per written block
    std::chrono::seconds data_term{600}; // 4.5.3.2.6
    std::chrono::seconds tls{60};        // the handshake
    void cap(std::chrono::seconds limit);
    std::chrono::seconds for_wait(Wait wait) const;
};

struct SessionOptions {
    std::string host;
    std::string port;
    // Local address to bind before connecting (--source): exosim maps loopback sources to the
    // public IPs its connector and blocklist scenarios expect. Empty: the kernel chooses.
    std::string source_address;
    TlsOptions tls;
    Timeouts timeouts;
    int retries = 2;  // further attempts after the first, for 4yz and lost connections
    std::chrono::milliseconds retry_delay{1000};  // doubled after each attempt
    bool verbose = false;  // transcript on stderr, AUTH secrets redacted
};

// The whole delivery across attempts.
struct DeliveryReport {
    Result result = Result::deferred;
    core::Reply reply;
    std::string detail;
    int attempts = 0;
    std::string tls_version;  // e.g. "TLSv1.3"; empty without TLS
    std::string auth_used;
    std::vector<std::string> accepted;
    std::vector<std::string> rejected;
    std::vector<std::string> deferred;
};

// Blocks until delivered, refused, or out of retries. The message (and its Message-ID) is the same
// on every attempt; only the recipients still owed a delivery are tried again (CC-16, CC-21).
DeliveryReport deliver(const SessionOptions& options, ClientConfig config);

}  // namespace exosim::client
