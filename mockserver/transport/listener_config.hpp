#pragma once
// A listener's configuration: plain data, no Asio, so config loading and policy can use it.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "core/session_state.hpp"

namespace exosim::transport {

enum class TlsMode { starttls, implicit, none };

struct TlsSettings {
    TlsMode mode = TlsMode::starttls;
    core::TlsVersion min = core::TlsVersion::tls1_2;
    core::TlsVersion max = core::TlsVersion::tls1_3;
    std::string ciphers;        // OpenSSL cipher list for TLS <= 1.2; empty: OpenSSL default
    std::string ciphersuites;   // TLS 1.3 suites; empty: OpenSSL default
    // Served instead of `ciphers` to a client whose highest version is below TLS 1.2; empty: one
    // list for every version. Exchange profiles: transport/exchange_tls.hpp.
    std::string legacy_ciphers;
    bool server_preference = false;  // the server's cipher order wins (SSL_OP_CIPHER_SERVER_PREFERENCE)
    bool evidence = false;           // keep each connection's ClientHello and key log (serve --evidence)
    // Certificate: a name generated under <data-dir>/tls ("smtp.office365.com", "localhost", ...)
    // or explicit PEM files.
    std::string certificate = "localhost";
    std::string cert_file;
    std::string key_file;
    bool request_client_cert = false;  // relay connectors recognise devices by certificate
    // More CAs (PEM files) trusted for client certificates besides exosim's (connectors' trusted_ca).
    std::vector<std::string> client_ca_files;
};

// RFC 5321 4.5.3.2 server-side timeouts, as whole-command deadlines.
struct Timeouts {
    std::chrono::milliseconds command{std::chrono::minutes(5)};
    std::chrono::milliseconds data_block{std::chrono::minutes(3)};
    std::chrono::milliseconds tls_handshake{std::chrono::minutes(5)};
    // Postfix smtpd_min_data_rate: the DATA deadline grows by 1 s per this many bytes received.
    std::size_t min_data_rate = 500;
    // A blackhole listener keeps a silent connection at most this long.
    std::chrono::milliseconds blackhole{std::chrono::minutes(10)};
};

// What a listener does with a connection. `blackhole` and `refuse` emulate ports where Exchange
// Online offers no SMTP service (exo-465): accept and never answer, or close at once.
enum class ListenerBehaviour { smtp, blackhole, refuse };

struct ListenerLimits {
    std::size_t max_connections = 1000;
    std::size_t max_connections_per_client = 50;  // Postfix smtpd_client_connection_count_limit
};

struct ListenerConfig {
    std::string name;
    std::string profile = "rfc";  // rfc | exo-submission | exo-legacy | exo-mx | exo-465
    std::string address = "127.0.0.1";
    std::uint16_t port = 0;       // 0: ephemeral (tests); the bound port is reported
    std::string hostname = "localhost";  // name used in banner and EHLO
    TlsSettings tls;
    Timeouts timeouts;
    ListenerLimits limits;
    ListenerBehaviour behaviour = ListenerBehaviour::smtp;
};

}  // namespace exosim::transport
