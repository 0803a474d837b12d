#pragma once
// What the transport saw that the engine cannot (handshakes, deadlines, limits, errors), as typed
// values. Consumers decide on the fields (the verdict trace, metrics); text is produced once, at
// the edges (transcript records, the control API's "transport" events) by note_kind() and
// note_detail(), whose output is the wire format those edges have always had.
// No Asio, no OpenSSL.
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace exosim::transport {

// Which deadline ran out.
enum class Deadline { command, data, tls_handshake, write, stall };

// Why the server ended a session of its own accord before any SMTP (listener behaviour, limits)
// or at shutdown.
enum class ServerEnd { shutdown, connection_limit, refused };

// Why a session ended, as the control API, the transcript and the session log name it.
enum class CloseReason {
    aborted,           // the session object went away without another reason (exception, cancel)
    closed,            // the SMTP dialogue ended normally (QUIT, a 421, a scripted close)
    eof,               // the client closed or reset the connection
    timeout,           // a command, data or blackhole deadline
    shutdown,          // the server shut down
    connection_limit,  // SR-23: over a connection limit, refused before any engine existed
    refused,           // listener behaviour: refuse
    tls_timeout,       // TLS-03: the handshake deadline
    tls_failed,        // the handshake failed
    io_error,          // a write failed
    stall,             // a scripted stall ended
};
std::string_view close_reason_name(CloseReason reason);

// Why the store did not keep a message (note::StoreFailed).
enum class StoreFailure { write_failed, exception };

namespace note {

// A completed handshake. `verify_error` is the client certificate's verification failure, empty
// when the client sent none or it verified.
struct TlsEstablished {
    std::string version;  // "TLSv1.3"
    std::string cipher;
    std::string verify_error;
};
// serve --evidence (evidence.hpp): the client's ClientHello as the one-line JSON summary that
// save_evidence() returns (versions, ciphers, SNI, ALPN, JA3, JA4, key log path). Emitted after the
// handshake, whether it succeeded or not.
struct ClientHello { std::string summary_json; };
// A handshake that failed for a reason other than its deadline (which is a Timeout).
struct TlsFailed { std::string reason; };
struct Timeout { Deadline deadline = Deadline::command; };
// The client closed (or reset) the connection.
struct PeerClosed { bool during_stall = false; };
// A write failed.
struct WriteFailed { std::string reason; };
struct ServerEnded { ServerEnd why = ServerEnd::shutdown; };
// A scripted stall began / a blackhole listener accepted: the client's next moves are on the wire.
struct Stalled {};
struct Blackholed {};
// The message store did not keep the message: the engine answers 451 4.3.0 (RFC 5321 4.2.2). The
// kind and cause are kept so that a full disk (write_failed) and a bug (exception) no longer look
// alike.
struct StoreFailed {
    StoreFailure kind = StoreFailure::write_failed;
    std::string cause;
};
// A scripted TLS alert mid-DATA (RFC 8446 6.2 name), or `sent` false: not a TLS 1.3 session, so
// the connection was closed without one.
struct TlsAlertSent {
    std::string alert;
    bool sent = true;
};

}  // namespace note

struct TransportNote {
    using Payload = std::variant<note::TlsEstablished, note::ClientHello, note::TlsFailed, note::Timeout, note::PeerClosed,
                                 note::WriteFailed, note::ServerEnded, note::Stalled, note::Blackholed,
                                 note::StoreFailed, note::TlsAlertSent>;
    Payload payload;
};

// The edge renderings: kind is one of tls-handshake, client-hello, tls-handshake-failed, timeout, eof, io-error,
// shutdown, connection-limit, refused, stall, blackhole, store-failed, tls-alert.
std::string_view note_kind(const TransportNote& note);
std::string note_detail(const TransportNote& note);

}  // namespace exosim::transport
