#pragma once
// The load run: N worker coroutines on one io_context share a message budget. Each worker opens
// a connection, optionally upgrades it with STARTTLS and authenticates, sends up to
// per_connection messages with plain request/response (no pipelining), says QUIT and repeats.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "options.hpp"

namespace loadgen {

struct Results {
    long messages_ok = 0;
    long messages_failed = 0;       // claimed messages that did not get a 2xx after the dot
    long messages_aborted = 0;      // in flight when --max-seconds expired
    long connections = 0;
    long connections_failed = 0;
    bool timed_out = false;
    double elapsed_s = 0;
    std::vector<std::uint32_t> latency_us;   // MAIL FROM sent -> final reply to the dot
    std::vector<std::uint32_t> setup_us;     // connect -> ready for MAIL (TLS, EHLO, AUTH)
    std::map<std::string, long> errors;      // kind -> count
    std::string first_error;
    std::string tls_protocol;                // negotiated, from the first TLS session
    std::string tls_cipher;
};

// Builds the DATA payload: headers, body lines (never starting with '.'), CRLF.CRLF.
std::string make_payload(const Options& opt);

// Runs the whole load on io; returns when every worker is done or the time cap expired.
Results run_load(boost::asio::io_context& io, const Options& opt, boost::asio::ssl::context* tls);

}  // namespace loadgen
