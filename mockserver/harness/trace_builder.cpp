#include "harness/trace_builder.hpp"

#include <algorithm>
#include <variant>

namespace exosim::harness {

using Kind = scenario::TraceEntry::Kind;

TraceBuilder::TraceBuilder(std::string session_id, std::string listener) {
    trace_.session_id = std::move(session_id);
    trace_.listener = std::move(listener);
}

std::string tls_version_of(std::string_view detail) {
    auto end = detail.find_first_of(" ;");
    return std::string(detail.substr(0, end));
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
    if (n.kind == "tls-handshake") {
        push(Kind::tls_started, at, tls_version_of(n.detail));
    } else if (n.kind == "tls-handshake-failed") {
        push(Kind::tls_failed, at, n.detail);
    } else if (n.kind == "timeout") {
        // The handshake deadline is a failed handshake as far as the client is concerned.
        if (n.detail == "TLS handshake") push(Kind::tls_failed, at, "timeout");
        push(Kind::timeout, at, n.detail);
    } else if (n.kind == "eof" || n.kind == "io-error") {
        if (closed_) return;
        closed_ = true;
        push(Kind::client_closed, at, n.detail);
    } else if (n.kind == "shutdown" || n.kind == "connection-limit" || n.kind == "refused") {
        if (closed_) return;
        closed_ = true;
        push(Kind::server_closed, at, n.kind);
    }
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
