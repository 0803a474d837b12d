#include "core/line_reader.hpp"

namespace exosim::core {

LineReader::Result LineReader::next(std::string_view buf, std::size_t limit) {
    if (skip_lf_ && !buf.empty()) {
        skip_lf_ = false;
        if (buf.front() == '\n') return Result{Kind::skipped, {}, LineEnding::crlf, 1};
    }
    if (skipping_) return skip(buf);
    return mode_ == BareLineEnding::reject ? reject_mode(buf, limit) : normalize_mode(buf, limit);
}

LineReader::Result LineReader::skip(std::string_view buf) {
    const std::size_t end = mode_ == BareLineEnding::reject ? buf.find('\n') : buf.find_first_of("\r\n");
    if (end == std::string_view::npos) {
        if (buf.empty()) return Result{};
        return Result{Kind::skipped, {}, LineEnding::crlf, buf.size()};
    }
    skipping_ = false;
    if (buf[end] == '\r') {
        if (end + 1 < buf.size()) return Result{Kind::skipped, {}, LineEnding::crlf, end + 1 + (buf[end + 1] == '\n')};
        skip_lf_ = true;
    }
    return Result{Kind::skipped, {}, LineEnding::crlf, end + 1};
}

// Reject mode: LF is the only terminator, so "A\rB\r\n" is one (bad) line, never two commands.
LineReader::Result LineReader::reject_mode(std::string_view buf, std::size_t limit) {
    const std::size_t lf = buf.find('\n');
    if (lf == std::string_view::npos) {
        if (buf.size() < limit) return Result{};
        skipping_ = true;
        return Result{Kind::too_long, {}, LineEnding::crlf, buf.size()};
    }
    if (lf + 1 > limit) return Result{Kind::too_long, {}, LineEnding::crlf, lf + 1};
    const bool crlf = lf > 0 && buf[lf - 1] == '\r';
    std::string_view text = buf.substr(0, crlf ? lf - 1 : lf);
    LineEnding ending = crlf ? LineEnding::crlf : LineEnding::bare_lf;
    if (text.find('\r') != std::string_view::npos) ending = LineEnding::bare_cr;
    return Result{Kind::line, std::string(text), ending, lf + 1};
}

// Normalize mode: CRLF, bare LF and bare CR each end a line (a CR at the end of the buffer waits
// for the next octet to tell CRLF from bare CR).
LineReader::Result LineReader::normalize_mode(std::string_view buf, std::size_t limit) {
    const std::size_t end = buf.find_first_of("\r\n");
    if (end == std::string_view::npos) {
        if (buf.size() < limit) return Result{};
        skipping_ = true;
        return Result{Kind::too_long, {}, LineEnding::crlf, buf.size()};
    }
    LineEnding ending = LineEnding::bare_lf;
    std::size_t term = 1;
    if (buf[end] == '\r') {
        if (end + 1 >= buf.size()) {
            if (end + 1 > limit) {
                skip_lf_ = true;
                return Result{Kind::too_long, {}, LineEnding::crlf, buf.size()};
            }
            return Result{};
        }
        ending = buf[end + 1] == '\n' ? LineEnding::crlf : LineEnding::bare_cr;
        term = ending == LineEnding::crlf ? 2 : 1;
    }
    if (end + term > limit) return Result{Kind::too_long, {}, LineEnding::crlf, end + term};
    return Result{Kind::line, std::string(buf.substr(0, end)), ending, end + term};
}

}  // namespace exosim::core
