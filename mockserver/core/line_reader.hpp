#pragma once
// Command-line framing (RFC 5321 2.3.8, 4.5.3.1.4) with bounded memory and an explicit policy for
// bare CR / bare LF (SMTP smuggling, SR-09). The reader never holds bytes: it scans the caller's
// buffer and says how many octets it used, so at most `limit` octets of one line are ever kept.
#include <cstddef>
#include <string>
#include <string_view>

#include "core/session_policy.hpp"

namespace exosim::core {

enum class LineEnding { crlf, bare_lf, bare_cr };

class LineReader {
public:
    enum class Kind {
        need_more,  // no complete line yet; nothing consumed, keep the bytes
        line,       // `text` is one line without its terminator
        too_long,   // the line exceeded `limit`; its rest is skipped up to the terminator
        skipped,    // octets of an over-long line were dropped (no new line yet)
    };
    struct Result {
        Kind kind = Kind::need_more;
        std::string text;
        LineEnding ending = LineEnding::crlf;  // for `line`: how it ended (reject mode: bare CR inside too)
        std::size_t consumed = 0;
    };

    explicit LineReader(BareLineEnding mode = BareLineEnding::reject) : mode_(mode) {}
    void set_mode(BareLineEnding mode) { mode_ = mode; }
    // `limit` counts the line including its terminator. In reject mode a line ends only at LF
    // and any other CR inside marks it bare_cr; in normalize mode CRLF, LF and CR each end a line.
    Result next(std::string_view buf, std::size_t limit);
    // Forget a pending skip (STARTTLS discards the plaintext buffer).
    void reset() { skipping_ = false; skip_lf_ = false; }

private:
    Result skip(std::string_view buf);
    Result reject_mode(std::string_view buf, std::size_t limit);
    Result normalize_mode(std::string_view buf, std::size_t limit);

    BareLineEnding mode_;
    bool skipping_ = false;  // inside an over-long line
    bool skip_lf_ = false;   // normalize mode: the skip ended at CR; an LF right after belongs to it
};

}  // namespace exosim::core
