// The one place transport notes become text (transcript records, control API events).
#include "transport/transport_note.hpp"

#include <type_traits>

#include "core/overloaded.hpp"

namespace exosim::transport {

namespace {

std::string_view deadline_name(Deadline d) {
    switch (d) {
        case Deadline::command: return "command";
        case Deadline::data: return "data";
        case Deadline::tls_handshake: return "TLS handshake";
        case Deadline::write: return "write";
        case Deadline::stall: return "stall";
    }
    return "command";
}

std::string_view server_end_name(ServerEnd e) {
    switch (e) {
        case ServerEnd::shutdown: return "shutdown";
        case ServerEnd::connection_limit: return "connection-limit";
        case ServerEnd::refused: return "refused";
    }
    return "shutdown";
}

}  // namespace

std::string_view close_reason_name(CloseReason reason) {
    switch (reason) {
        case CloseReason::aborted: return "aborted";
        case CloseReason::closed: return "closed";
        case CloseReason::eof: return "eof";
        case CloseReason::timeout: return "timeout";
        case CloseReason::shutdown: return "shutdown";
        case CloseReason::connection_limit: return "connection-limit";
        case CloseReason::refused: return "refused";
        case CloseReason::tls_timeout: return "tls-timeout";
        case CloseReason::tls_failed: return "tls-failed";
        case CloseReason::io_error: return "io-error";
        case CloseReason::stall: return "stall";
    }
    return "aborted";
}

std::string_view note_kind(const TransportNote& n) {
    return std::visit(core::Overloaded{
                          [](const note::TlsEstablished&) -> std::string_view { return "tls-handshake"; },
                          [](const note::ClientHello&) -> std::string_view { return "client-hello"; },
                          [](const note::TlsFailed&) -> std::string_view { return "tls-handshake-failed"; },
                          [](const note::Timeout&) -> std::string_view { return "timeout"; },
                          [](const note::PeerClosed&) -> std::string_view { return "eof"; },
                          [](const note::WriteFailed&) -> std::string_view { return "io-error"; },
                          [](const note::ServerEnded& e) { return server_end_name(e.why); },
                          [](const note::Stalled&) -> std::string_view { return "stall"; },
                          [](const note::Blackholed&) -> std::string_view { return "blackhole"; },
                          [](const note::StoreFailed&) -> std::string_view { return "store-failed"; },
                          [](const note::TlsAlertSent&) -> std::string_view { return "tls-alert"; },
                      },
                      n.payload);
}

std::string note_detail(const TransportNote& n) {
    return std::visit(
        core::Overloaded{
            [](const note::TlsEstablished& t) {
                return t.version + " " + t.cipher + (t.verify_error.empty() ? "" : "; client certificate: " + t.verify_error);
            },
            [](const note::ClientHello& h) { return h.summary_json; },
            [](const note::TlsFailed& f) { return f.reason; },
            [](const note::Timeout& t) { return std::string(deadline_name(t.deadline)); },
            [](const note::PeerClosed& p) { return std::string(p.during_stall ? "during stall" : ""); },
            [](const note::WriteFailed& w) { return "write: " + w.reason; },
            [](const note::ServerEnded& e) -> std::string {
                switch (e.why) {
                    case ServerEnd::connection_limit: return "over the listener or per-client connection limit";
                    case ServerEnd::refused: return "listener behaviour: refuse";
                    case ServerEnd::shutdown: return "";
                }
                return "";
            },
            [](const note::Stalled&) { return std::string(); },
            [](const note::Blackholed&) { return std::string("listener behaviour: accept and never answer"); },
            [](const note::StoreFailed& f) {
                return (f.kind == StoreFailure::exception ? "exception: " : "write failed: ") + f.cause;
            },
            [](const note::TlsAlertSent& t) { return t.sent ? t.alert : t.alert + " not sent (not TLS 1.3)"; },
        },
        n.payload);
}

}  // namespace exosim::transport
