#pragma once
// Incremental parser for server replies (RFC 5321 4.2), shared by the reference client and the harness.
// Bounded: a line longer than max_reply_line or more than max_reply_lines continuation lines is an error.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reply.hpp"

namespace exosim::core {

// RFC 5321 4.5.3.1.5: a reply line is at most 512 octets including CRLF. Accepted up to 4x that, since
// real servers exceed it (long Exchange diagnostics); beyond is an error, never an unbounded buffer.
inline constexpr std::size_t max_reply_line = 2048;
inline constexpr std::size_t max_reply_lines = 100;

enum class ReplyError {
    none,
    bad_code,          // not three digits 2xx-5xx, e.g. "25", "2500", "abc", "999"
    bad_separator,     // neither ' ', '-' nor end of line after the code
    code_changed,      // "250-A\r\n251 B"
    line_too_long,
    too_many_lines,
    bare_line_ending,  // LF without CR (reported; parse continues when lenient)
};

struct ParsedReply {
    Reply reply;             // enhanced code split out when every line carries the same one
    std::string raw;         // the exact bytes of the reply
};

class ReplyParser {
public:
    explicit ReplyParser(bool accept_bare_lf = false) : accept_bare_lf_(accept_bare_lf) {}
    // Feed bytes; complete replies become available from next(). Returns false once in error.
    bool feed(std::string_view bytes);
    std::optional<ParsedReply> next();
    ReplyError error() const { return error_; }
    // Bytes received but not yet handed out by next(): a partial reply, or complete replies nobody has
    // read yet (TLS upgrade must find this empty: anything here arrived in plaintext).
    std::size_t pending_bytes() const { return buffer_.size() + partial_raw_.size() + unread_bytes(); }
    // Drop buffered bytes and unread replies (STARTTLS upgrade: CVE-2021-22947 class, CC-04); returns
    // how many bytes were dropped. An error state is kept: the stream it came from was broken.
    std::size_t discard_pending();
    // True once a line ended in a bare LF while accept_bare_lf was set.
    bool saw_bare_line_ending() const { return saw_bare_line_ending_; }

private:
    void consume_line(std::string_view raw_line);  // one line including its LF
    void complete_reply();
    std::size_t unread_bytes() const;

    bool accept_bare_lf_;
    bool saw_bare_line_ending_ = false;
    std::string buffer_;
    std::string partial_raw_;
    std::vector<std::string> partial_lines_;
    int partial_code_ = 0;
    std::vector<ParsedReply> ready_;
    std::size_t ready_pos_ = 0;
    ReplyError error_ = ReplyError::none;
};

}  // namespace exosim::core
