#pragma once
// What the verdict engine judges: the recorded bytes of every connection a scenario run made,
// with read boundaries, relative times and TLS transitions. Built from session transcripts.
#include <chrono>
#include <string>
#include <vector>

namespace exosim::scenario {

struct TraceEntry {
    enum class Kind {
        client_bytes,      // one read from the client (read boundary preserved)
        server_bytes,      // one write to the client
        tls_started,       // handshake completed; `detail` = version ("TLSv1.2"), `cipher`
        tls_failed,        // handshake failed; `detail` = reason (e.g. client rejected certificate)
        client_closed,
        server_closed,
        timeout,           // the server's deadline fired
        client_hello,      // --evidence only: `detail` = one-line ClientHello summary (versions, suites, SNI, JA3, JA4)
    };
    Kind kind;
    std::chrono::milliseconds t{0};  // since the connection was accepted
    std::string bytes;               // for client_bytes / server_bytes (AUTH secrets may be redacted)
    std::string detail;
    bool tls = false;                // bytes travelled inside TLS
};

struct ConnectionTrace {
    std::string session_id;
    std::string listener;
    std::vector<TraceEntry> entries;
};

// All connections of one scenario run, in order (attempt 1, 2, ...).
struct Trace {
    std::vector<ConnectionTrace> connections;
};

}  // namespace exosim::scenario
