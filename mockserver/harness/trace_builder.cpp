#include "harness/trace_builder.hpp"

#include <algorithm>
#include <variant>

#include <boost/json.hpp>

#include "core/overloaded.hpp"

namespace exosim::harness {

using Kind = scenario::TraceEntry::Kind;

TraceBuilder::TraceBuilder(std::string session_id, std::string listener) {
    trace_.session_id = std::move(session_id);
    trace_.listener = std::move(listener);
}

namespace {

// The transport's JSON summary (transport/evidence.hpp) as one transcript line.
std::string client_hello_line(std::string_view json) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(json, ec);
    if (ec || !v.is_object()) return std::string(json);
    const boost::json::object& o = v.as_object();
    auto text = [&](const char* key) {
        const boost::json::value* x = o.if_contains(key);
        return x && x->is_string() ? std::string(x->as_string()) : std::string("-");
    };
    auto list = [&](const char* key) {
        std::string out;
        if (const boost::json::value* x = o.if_contains(key); x && x->is_array())
            for (const auto& item : x->as_array())
                if (item.is_string()) out += (out.empty() ? "" : " ") + std::string(item.as_string());
        return out.empty() ? std::string("-") : out;
    };
    return "versions " + list("versions") + "; suites " + list("ciphers") + "; SNI " + text("sni") + "; ALPN " +
           list("alpn") + "; JA3 " + text("ja3") + "; JA4 " + text("ja4");
}

}  // namespace

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
    std::visit(core::Overloaded{
                   [&](const note::TlsEstablished& t) { push(Kind::tls_started, at, t.version); },
                   [&](const note::ClientHello& h) { push(Kind::client_hello, at, client_hello_line(h.summary_json)); },
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
