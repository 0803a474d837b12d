#pragma once
// One recorded connection re-read the way the server read it: client commands, AUTH
// continuation lines, DATA bodies and BDAT chunks told apart, every server reply matched to the
// command it answers. The verdict engine judges this view; it never trusts the client's account.
//
// Server bytes are split by a tolerant splitter (not core::ReplyParser): scripted scenarios write
// malformed replies on purpose, and the judge must still see where one reply ends and the next
// begins. Client bytes are interpreted lazily: what follows an unanswered AUTH or DATA depends on
// its reply (334 makes the next line a SASL response, 354 makes the bytes a body), so those bytes
// wait until the reply is in the trace, exactly as the server waited before reading them.
#include <chrono>
#include <compare>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/command.hpp"
#include "scenario/trace.hpp"

namespace exosim::scenario {

using Millis = std::chrono::milliseconds;

// Where an item sits on the wire: trace entry and byte offset inside it. Items are built out of
// order (deferred bytes) and put back in wire order with this.
struct WirePos {
    std::size_t entry = 0;
    std::size_t offset = 0;
    friend auto operator<=>(const WirePos&, const WirePos&) = default;
};

struct ClientLine {
    enum class Kind { command, auth_response };
    Kind kind = Kind::command;
    std::string text;                   // without the line ending
    std::string ending;                 // "\r\n", "\n", or "" when the connection ended mid-line
    core::Verb verb = core::Verb::unknown;  // the command's verb; unknown for other words and SASL lines
    std::string word;                   // upper-cased first word of a command ("MAIL"), else empty
    Millis t{0};                        // time of the read that completed the line
    bool tls = false;
    std::size_t read = 0;               // 1-based client read that completed the line
    bool same_read = false;             // arrived in the same read as the previous client bytes
    bool pipelined = false;             // sent while an earlier command still awaited its reply
    bool before_greeting = false;       // sent before the greeting arrived
    bool discarded = false;             // plaintext after STARTTLS that the server threw away
    std::optional<std::size_t> reply;   // final reply (index into ClientView::replies)
    std::optional<std::size_t> body;    // DATA / BDAT: index into ClientView::bodies
    WirePos pos;
};

struct ServerReply {
    int code = 0;                       // 0 when the first line carries no valid code
    std::vector<std::string> lines;     // text after "ddd-" / "ddd " (whole line when malformed)
    std::vector<std::size_t> line_writes;  // server write (1-based) that completed each line
    std::string raw;
    bool well_formed = true;            // RFC 5321 4.2 shape, one code throughout
    bool terminated = true;             // false: bytes without CRLF dropped at TLS start or close
    bool unsolicited = false;           // nothing was waiting for it (e.g. injected before TLS)
    bool greeting = false;
    std::optional<std::size_t> answers;  // the client line it answers (index into lines)
    std::optional<std::size_t> body;     // the body it answers (reply to end of data)
    Millis t{0};
    bool tls = false;
    WirePos pos;
};

// Client bytes of one read inside a body, so the transcript can mark read boundaries.
struct BodySegment {
    std::size_t offset = 0;             // into Body::raw
    std::size_t read = 0;
    Millis t{0};
    WirePos pos;
};

struct Body {
    enum class Kind { data, bdat };
    Kind kind = Kind::data;
    std::string raw;                    // DATA: wire bytes after the DATA line incl. CRLF.CRLF;
                                        // BDAT: the chunks concatenated
    bool terminated = false;            // CRLF.CRLF seen / BDAT LAST complete
    bool before_354 = false;            // DATA: body bytes arrived before the 354
    std::size_t command = 0;            // DATA or first BDAT line
    std::optional<std::size_t> reply;   // the reply to end of data (or to BDAT LAST)
    bool tls = false;
    std::vector<BodySegment> segments;
};

struct Marker {
    TraceEntry::Kind kind;              // tls_started, tls_failed, client_closed, server_closed, timeout
    std::string detail;
    Millis t{0};
    WirePos pos;
    bool after_starttls = false;        // tls_started: upgrade of a plaintext session
    bool tls = false;                   // happened inside TLS (tls_started counts as inside)
};

// TLS records where the server reads plaintext SMTP: an implicit-TLS client on a plaintext port
// (CC-10), or a client handshaking after a STARTTLS that never started TLS (CC-02). Recognised
// at a command boundary by the record header (RFC 8446 5.1: type 22 handshake, version 3.x);
// from there on the connection's plaintext client bytes are TLS, never SMTP lines.
struct PlaintextTls {
    Millis t{0};                        // the read that carried the ClientHello
    std::size_t read = 0;
    std::size_t octets = 0;             // every plaintext client byte from the ClientHello on
    bool before_greeting = false;
    WirePos pos;
};

struct ClientView {
    std::vector<ClientLine> lines;
    std::optional<PlaintextTls> plaintext_tls;
    std::vector<ServerReply> replies;
    std::vector<Body> bodies;
    std::vector<Marker> markers;
    Millis end{0};                      // time of the last entry
};

ClientView read_client_view(const ConnectionTrace& connection);

// "MAIL" for "mail from:<a@b>"; empty for a line with no word.
std::string command_verb(std::string_view line);

}  // namespace exosim::scenario
