#pragma once
// One connection's trace for the verdict engine, built from what the transport published about
// the session (SessionObserver events): wire chunks keep their read/write boundaries and the
// times stay relative to accept. Engine events are ignored on purpose: verdicts come from the
// wire, never from what the server-side engine concluded. Sans-I/O.
//
// Transport note -> trace entry:
//   tls-handshake         tls_started, detail = negotiated version ("TLSv1.3")
//   tls-handshake-failed  tls_failed, detail = the reason
//   timeout               timeout (the server's deadline; "TLS handshake" also yields tls_failed)
//   eof, io-error         client_closed (the peer went away or reset)
//   shutdown, connection-limit, refused   server_closed
//   stall, blackhole      nothing (what the client did next is in the wire chunks)
// A session that ends without a close entry was closed by the server (221/421 and close, a
// scripted close, a failed handshake, a deadline): end() adds server_closed.
#include <chrono>
#include <string>
#include <string_view>

#include "scenario/trace.hpp"
#include "transport/registry.hpp"

namespace exosim::harness {

class TraceBuilder {
public:
    TraceBuilder() = default;
    TraceBuilder(std::string session_id, std::string listener);

    void add(const transport::TimedEvent& event);
    // The session ended `at` after accept; idempotent.
    void end(std::chrono::milliseconds at);
    bool ended() const { return ended_; }

    const scenario::ConnectionTrace& trace() const { return trace_; }

private:
    void note(const transport::TransportNote& note, std::chrono::milliseconds at);
    void push(scenario::TraceEntry::Kind kind, std::chrono::milliseconds at, std::string detail = {});

    scenario::ConnectionTrace trace_;
    bool closed_ = false;  // a close entry was recorded
    bool ended_ = false;
};

// "TLSv1.3 TLS_AES_256_GCM_SHA384; client certificate: ..." -> "TLSv1.3".
std::string tls_version_of(std::string_view handshake_detail);

}  // namespace exosim::harness
