#pragma once
// The DATA content reader (RFC 5321 4.1.1.4, 4.5.2): finds the end of data and removes dot-stuffing
// in one streaming pass, with bounded memory.
//
// Smuggling immunity (SR-07, SR-08): only CRLF "." CRLF ends the data, where that CRLF is a real
// CRLF (or the data's first octet is the "."). "\n.\n", "\r.\r\n", "\r\n.\r\r\n" and the like are
// content. Bare CR / bare LF are recorded; in normalize mode each becomes CRLF in the stored
// content but never ends the data or starts a line for dot-unstuffing.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/session_policy.hpp"

namespace exosim::core {

class DataReader {
public:
    // `max_size` caps the stored content: beyond it the reader keeps reading to the end marker,
    // counts, and stores nothing more (overflow()).
    DataReader(BareLineEnding mode, std::uint64_t max_size);

    // Consumes octets up to and including the end marker; returns how many were used.
    std::size_t feed(std::string_view in);
    bool done() const { return state_ == State::done; }

    const std::string& content() const { return content_; }
    std::string take_content() { return std::move(content_); }
    std::uint64_t size() const { return size_; }  // unstuffed size, counted even past the cap
    bool overflow() const { return overflow_; }
    bool bare_cr() const { return bare_cr_; }
    bool bare_lf() const { return bare_lf_; }
    // A line longer than limits::max_text_line (RFC 5321 4.5.3.1.6) was seen.
    bool long_line() const { return long_line_; }

private:
    enum class State { line_start, text, cr, dot, dot_cr, done };
    void step(char c);
    void emit(std::string_view s);
    void bare(char c);
    void end_line();

    BareLineEnding mode_;
    std::uint64_t max_size_;
    State state_ = State::line_start;
    std::string content_;
    std::uint64_t size_ = 0;
    std::size_t line_length_ = 0;
    bool overflow_ = false;
    bool bare_cr_ = false;
    bool bare_lf_ = false;
    bool long_line_ = false;
};

// Strict reference splitter (the fuzz oracle, FZ-02/FZ-03): the offset just after the first
// "\r\n.\r\n" (or ".\r\n" at offset 0), or npos when the data is incomplete.
std::size_t reference_end_of_data(std::string_view wire);
// Reference unstuffer for strict CRLF content (without the end marker): drops the leading dot of
// every line that starts with one.
std::string reference_unstuff(std::string_view body);
// The inverse: RFC 5321 4.5.2 transparency, without the end marker.
std::string dot_stuff(std::string_view content);

}  // namespace exosim::core
