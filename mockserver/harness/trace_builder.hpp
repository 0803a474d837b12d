#pragma once
// One connection's trace for the verdict engine, built from what the transport published about
// the session (SessionObserver events): wire chunks keep their read/write boundaries and the
// times stay relative to accept. Engine events are ignored on purpose: verdicts come from the
// wire, never from what the server-side engine concluded. Sans-I/O.
//
// Transport note -> trace entry (decided on the typed note, never on its wording):
//   TlsEstablished        tls_started, detail = negotiated version ("TLSv1.3")
//   TlsFailed             tls_failed, detail = the reason
//   Timeout               timeout (the server's deadline; the handshake's also yields tls_failed)
//   PeerClosed, WriteFailed   client_closed (the peer went away or reset)
//   ServerEnded           server_closed (shutdown, connection-limit, refused)
//   Stalled, Blackholed, StoreFailed   nothing (what the client did next is in the wire chunks)
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
    // The first close entry counts; later ones are ignored.
    void close(scenario::TraceEntry::Kind kind, std::chrono::milliseconds at, std::string detail);

    scenario::ConnectionTrace trace_;
    bool closed_ = false;  // a close entry was recorded
    bool ended_ = false;
};

}  // namespace exosim::harness
