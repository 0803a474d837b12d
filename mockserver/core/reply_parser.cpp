// Incremental reply parser (RFC 5321 4.2). Lines are only interpreted once their LF has arrived, so
// the result never depends on how the input was split (CC-12, FZ-04).
#include "core/reply_parser.hpp"

#include <algorithm>

namespace exosim::core {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// RFC 5321 4.2 narrows the second digit to 0-5, but 4.2.1 tells clients to act on the first digit
// of any three-digit code (CC-16: "299 fine"), so only the first digit is range-checked.
bool valid_code(std::string_view line) {
    return line.size() >= 3 && line[0] >= '2' && line[0] <= '5' && is_digit(line[1]) && is_digit(line[2]);
}

int code_of(std::string_view line) { return (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0'); }

// Parses a 1-3 digit number at the front of s, advancing it; -1 when there is none.
int take_number(std::string_view& s) {
    std::size_t n = 0;
    int value = 0;
    while (n < s.size() && n < 3 && is_digit(s[n])) value = value * 10 + (s[n++] - '0');
    if (n == 0 || (n < s.size() && is_digit(s[n]))) return -1;
    s.remove_prefix(n);
    return value;
}

// RFC 3463 2: status-code = class "." subject "." detail; the class must match the reply's first digit.
std::optional<EnhancedCode> enhanced_prefix(std::string_view text, int code, std::size_t& length) {
    std::string_view s = text;
    EnhancedCode e;
    e.klass = take_number(s);
    if (e.klass != code / 100 || s.empty() || s[0] != '.') return std::nullopt;
    s.remove_prefix(1);
    e.subject = take_number(s);
    if (e.subject < 0 || s.empty() || s[0] != '.') return std::nullopt;
    s.remove_prefix(1);
    e.detail = take_number(s);
    if (e.detail < 0 || (!s.empty() && s[0] != ' ')) return std::nullopt;
    length = text.size() - s.size() + (s.empty() ? 0 : 1);
    return e;
}

// Splits the enhanced code out only when every line carries the same one, so texts stay faithful.
void split_enhanced(Reply& reply) {
    std::optional<EnhancedCode> common;
    std::vector<std::size_t> lengths;
    for (const std::string& line : reply.lines) {
        std::size_t length = 0;
        std::optional<EnhancedCode> e = enhanced_prefix(line, reply.code, length);
        if (!e || (common && !(*common == *e))) return;
        common = e;
        lengths.push_back(length);
    }
    if (!common) return;
    for (std::size_t i = 0; i < reply.lines.size(); ++i) reply.lines[i].erase(0, lengths[i]);
    reply.enhanced = common;
}

}  // namespace

bool ReplyParser::feed(std::string_view bytes) {
    if (error_ != ReplyError::none) return false;
    buffer_.append(bytes);
    std::size_t start = 0;
    while (error_ == ReplyError::none) {
        std::size_t lf = buffer_.find('\n', start);
        if (lf == std::string::npos) break;
        // Line length counts the terminator, as RFC 5321 4.5.3.1.5 does.
        if (lf + 1 - start > max_reply_line) {
            error_ = ReplyError::line_too_long;
            break;
        }
        consume_line(std::string_view(buffer_).substr(start, lf + 1 - start));
        start = lf + 1;
    }
    buffer_.erase(0, start);
    // An unterminated tail of max_reply_line bytes can only become a longer line: refuse it now so the
    // buffer stays bounded, with the same verdict a whole-buffer parse reaches at the LF.
    if (error_ == ReplyError::none && buffer_.size() >= max_reply_line) error_ = ReplyError::line_too_long;
    if (error_ != ReplyError::none) buffer_.clear();
    return error_ == ReplyError::none;
}

void ReplyParser::consume_line(std::string_view raw_line) {
    std::string_view line = raw_line.substr(0, raw_line.size() - 1);  // without LF
    if (!line.empty() && line.back() == '\r') {
        line.remove_suffix(1);
    } else if (accept_bare_lf_) {
        saw_bare_line_ending_ = true;
    } else {
        error_ = ReplyError::bare_line_ending;
        return;
    }
    // A CR inside a line is a bare line ending too; accepting it would let two parsers disagree.
    if (line.find('\r') != std::string_view::npos) {
        error_ = ReplyError::bare_line_ending;
        return;
    }
    // "2500" is a four-digit code, not "250" followed by text.
    if (!valid_code(line) || (line.size() > 3 && is_digit(line[3]))) {
        error_ = ReplyError::bad_code;
        return;
    }
    bool last = line.size() == 3 || line[3] == ' ';
    if (!last && line[3] != '-') {
        error_ = ReplyError::bad_separator;
        return;
    }
    int code = code_of(line);
    if (!partial_lines_.empty() && code != partial_code_) {
        error_ = ReplyError::code_changed;
        return;
    }
    if (partial_lines_.size() + 1 > max_reply_lines) {
        error_ = ReplyError::too_many_lines;
        return;
    }
    partial_code_ = code;
    partial_lines_.emplace_back(line.size() > 4 ? line.substr(4) : std::string_view{});
    partial_raw_.append(raw_line);
    if (last) complete_reply();
}

void ReplyParser::complete_reply() {
    ParsedReply parsed;
    parsed.reply.code = partial_code_;
    parsed.reply.lines = std::move(partial_lines_);
    parsed.raw = std::move(partial_raw_);
    split_enhanced(parsed.reply);
    ready_.push_back(std::move(parsed));
    partial_lines_.clear();
    partial_raw_.clear();
    partial_code_ = 0;
}

std::optional<ParsedReply> ReplyParser::next() {
    if (ready_pos_ >= ready_.size()) return std::nullopt;
    ParsedReply out = std::move(ready_[ready_pos_++]);
    if (ready_pos_ == ready_.size()) {
        ready_.clear();
        ready_pos_ = 0;
    }
    return out;
}

std::size_t ReplyParser::unread_bytes() const {
    std::size_t n = 0;
    for (std::size_t i = ready_pos_; i < ready_.size(); ++i) n += ready_[i].raw.size();
    return n;
}

std::size_t ReplyParser::discard_pending() {
    std::size_t dropped = pending_bytes();
    buffer_.clear();
    partial_raw_.clear();
    partial_lines_.clear();
    partial_code_ = 0;
    ready_.clear();
    ready_pos_ = 0;
    return dropped;
}

}  // namespace exosim::core
