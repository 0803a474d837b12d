#include "harness/trace_builder.hpp"

#include <algorithm>
#include <variant>

namespace exosim::harness {

using Kind = scenario::TraceEntry::Kind;

namespace {
template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
}  // namespace

TraceBuilder::TraceBuilder(std::string session_id, std::string listener) {
    trace_.session_id = std::move(session_id);
    trace_.listener = std::move(listener);
}

void TraceBuilder::push(Kind kind, std::chrono::milliseconds at, std::string detail) {
    scenario::TraceEntry entry{kind, at, {}, std::move(detail), false};
    trace_.entries.push_back(std::move(entry));
}

void TraceBuilder::add(const transport::TimedEvent& event) {
    if (ended_) return;
    if (const auto* chunk = std::get_if<transport::WireChunk>(&event.data)) {
        if (chunk->bytes.empty()) return;
        scenario::TraceEntry entry;
        entry.kind = chunk->direction == transport::Direction::in ? Kind::client_bytes : Kind::server_bytes;
        entry.t = event.at;
        entry.bytes = chunk->bytes;
        entry.tls = chunk->tls;
        trace_.entries.push_back(std::move(entry));
    } else if (const auto* n = std::get_if<transport::TransportNote>(&event.data)) {
        note(*n, event.at);
    }
}

void TraceBuilder::note(const transport::TransportNote& n, std::chrono::milliseconds at) {
    namespace note = transport::note;
    std::visit(Overloaded{
                   [&](const note::TlsEstablished& t) { push(Kind::tls_started, at, t.version); },
                   [&](const note::TlsFailed& f) { push(Kind::tls_failed, at, f.reason); },
                   [&](const note::Timeout& t) {
                       // The handshake deadline is a failed handshake as far as the client is concerned.
                       if (t.deadline == transport::Deadline::tls_handshake) push(Kind::tls_failed, at, "timeout");
                       push(Kind::timeout, at, transport::note_detail(n));
                   },
                   [&](const note::PeerClosed&) { close(Kind::client_closed, at, transport::note_detail(n)); },
                   [&](const note::WriteFailed&) { close(Kind::client_closed, at, transport::note_detail(n)); },
                   [&](const note::ServerEnded&) { close(Kind::server_closed, at, std::string(transport::note_kind(n))); },
                   // What the client did next is in the wire chunks.
                   [](const note::Stalled&) {},
                   [](const note::Blackholed&) {},
                   [](const note::StoreFailed&) {},
                   [](const note::TlsAlertSent&) {},  // the server's close follows (end())
               },
               n.payload);
}

void TraceBuilder::close(Kind kind, std::chrono::milliseconds at, std::string detail) {
    if (closed_) return;
    closed_ = true;
    push(kind, at, std::move(detail));
}

void TraceBuilder::end(std::chrono::milliseconds at) {
    if (ended_) return;
    ended_ = true;
    if (closed_) return;
    closed_ = true;
    // Never before the last entry: the session's end time comes from another clock.
    if (!trace_.entries.empty()) at = std::max(at, trace_.entries.back().t);
    push(Kind::server_closed, at);
}

}  // namespace exosim::harness
