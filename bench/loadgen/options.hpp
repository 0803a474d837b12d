#pragma once
// Command-line options of smtp-loadgen. Plain data; parse_options validates ranges and the
// loopback-only rule.
#include <cstdint>
#include <optional>
#include <string>

namespace loadgen {

enum class TlsMode { none, starttls };

struct Options {
    std::string host = "127.0.0.1";
    std::uint16_t port = 25;
    int sessions = 1;              // concurrent sessions (coroutines)
    long messages = 100;           // total messages, across all sessions
    std::size_t size = 1024;       // bytes of message content (headers + body), before dot-stuffing
    long per_connection = 1;       // messages per TCP connection; 0: as many as the run allows
    TlsMode tls = TlsMode::none;
    std::string tls_min = "1.2";   // "1.0" .. "1.3"
    std::string tls_max = "1.3";
    bool verify = false;           // verify the server certificate (off: we measure throughput)
    std::string ca_file;           // trust anchor when --verify
    std::string sni;               // server name sent in the handshake (and checked with --verify)
    std::string user;              // AUTH LOGIN when non-empty
    std::string password;
    std::string xoauth2_token;     // with `user`: AUTH XOAUTH2 (bearer token) instead of LOGIN
    double max_seconds = 60.0;     // whole-run cap: sessions in flight are aborted at this point
    double io_timeout = 30.0;      // cap on each read or write
    std::string from = "bench@contoso.com";
    std::string to = "sink@contoso.com";
    std::string helo = "loadgen.contoso.com";
    std::string label;             // copied into the JSON line
};

// Parses argv. On --help prints usage and returns nullopt with exit_code 0; on a bad option
// prints the reason and returns nullopt with exit_code 2.
std::optional<Options> parse_options(int argc, char** argv, int& exit_code);

}  // namespace loadgen
