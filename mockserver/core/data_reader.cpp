#include "core/data_reader.hpp"

#include "core/limits.hpp"

#include <algorithm>
#include <cstring>

namespace exosim::core {

DataReader::DataReader(BareLineEnding mode, std::uint64_t max_size) : mode_(mode), max_size_(max_size) {}

namespace {

// Bounds each search, so that content without any CR (or LF) is still scanned once, not once
// per line.
constexpr std::size_t scan_window = 4096;

// Offset of the first CR or LF in s[from, from + scan_window), or the end of that window.
std::size_t next_line_break(std::string_view s, std::size_t from) {
    const std::size_t end = std::min(s.size(), from + scan_window);
    const char* base = s.data();
    const void* cr = std::memchr(base + from, '\r', end - from);
    const std::size_t cr_at = cr ? static_cast<std::size_t>(static_cast<const char*>(cr) - base) : end;
    const void* lf = std::memchr(base + from, '\n', cr_at - from);
    return lf ? static_cast<std::size_t>(static_cast<const char*>(lf) - base) : cr_at;
}

}  // namespace

std::size_t DataReader::feed(std::string_view in) {
    std::size_t i = 0;
    while (i < in.size() && state_ != State::done) {
        if (state_ == State::text) {
            // Fast path: the rest of an ordinary line, its CRLF included, goes in with one append
            // (the per-octet state machine below only matters at line starts and bare endings).
            const std::size_t j = next_line_break(in, i);
            if (j + 1 < in.size() && in[j] == '\r' && in[j + 1] == '\n') {
                emit(in.substr(i, j + 2 - i));
                end_line();
                state_ = State::line_start;
                i = j + 2;
                continue;
            }
            if (j > i) {
                emit(in.substr(i, j - i));
                i = j;
                continue;
            }
        }
        step(in[i++]);
    }
    return i;
}

void DataReader::emit(std::string_view s) {
    size_ += s.size();
    line_length_ += s.size();
    if (overflow_) return;
    if (size_ > max_size_) {
        overflow_ = true;
        content_.clear();
        content_.shrink_to_fit();
        return;
    }
    content_.append(s);
}

void DataReader::end_line() {
    if (line_length_ > limits::max_text_line) long_line_ = true;
    line_length_ = 0;
}

// A bare CR or LF: recorded; normalize writes CRLF, reject keeps the octet (the message is refused).
void DataReader::bare(char c) {
    (c == '\r' ? bare_cr_ : bare_lf_) = true;
    emit(mode_ == BareLineEnding::normalize ? std::string_view("\r\n") : std::string_view(&c, 1));
}

void DataReader::step(char c) {
    switch (state_) {
        case State::line_start:
            if (c == '.') { state_ = State::dot; return; }
            state_ = State::text;
            break;
        case State::dot:  // RFC 5321 4.5.2: a leading dot followed by more text is removed
            if (c == '\r') { state_ = State::dot_cr; return; }
            ++line_length_;  // the removed dot was on the wire
            state_ = State::text;
            break;
        case State::dot_cr:
            if (c == '\n') { state_ = State::done; return; }
            ++line_length_;
            state_ = State::text;
            bare('\r');
            break;
        case State::cr:
            if (c == '\n') {
                emit("\r\n");
                end_line();
                state_ = State::line_start;
                return;
            }
            state_ = State::text;
            bare('\r');
            break;
        case State::text:
        case State::done: break;
    }
    if (c == '\r') { state_ = State::cr; return; }
    if (c == '\n') { bare('\n'); return; }
    emit(std::string_view(&c, 1));
}

std::size_t reference_end_of_data(std::string_view wire) {
    if (wire.substr(0, 3) == ".\r\n") return 3;
    const std::size_t p = wire.find("\r\n.\r\n");
    return p == std::string_view::npos ? std::string_view::npos : p + 5;
}

std::string reference_unstuff(std::string_view body) {
    std::string out;
    std::size_t i = 0;
    while (i < body.size()) {
        std::size_t end = body.find("\r\n", i);
        end = end == std::string_view::npos ? body.size() : end + 2;
        std::string_view line = body.substr(i, end - i);
        if (!line.empty() && line.front() == '.') line.remove_prefix(1);
        out.append(line);
        i = end;
    }
    return out;
}

std::string dot_stuff(std::string_view content) {
    std::string out;
    bool line_start = true;
    for (std::size_t i = 0; i < content.size(); ++i) {
        if (line_start && content[i] == '.') out += '.';
        out += content[i];
        line_start = content[i] == '\n' && i > 0 && content[i - 1] == '\r';
    }
    return out;
}

}  // namespace exosim::core
