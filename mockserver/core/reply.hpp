#pragma once
// A typed SMTP reply (RFC 5321 4.2). Text is produced once, in render().
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace exosim::core {

// RFC 3463 enhanced status code, e.g. 5.7.139.
struct EnhancedCode {
    int klass = 0;
    int subject = 0;
    int detail = 0;
    std::string str() const;
    friend bool operator==(const EnhancedCode&, const EnhancedCode&) = default;
};

struct Reply {
    int code = 0;                          // 200..599 for well-formed replies
    std::optional<EnhancedCode> enhanced;  // printed after the code on every line
    std::vector<std::string> lines;        // text of each line, without code or CRLF

    Reply() = default;
    Reply(int c, std::string text) : code(c), lines{std::move(text)} {}
    Reply(int c, EnhancedCode e, std::string text) : code(c), enhanced(e), lines{std::move(text)} {}

    bool positive() const { return code >= 200 && code < 400; }
    bool transient() const { return code >= 400 && code < 500; }
    bool permanent() const { return code >= 500; }
    // The whole reply as sent on the wire: "250-a\r\n250 b\r\n".
    std::string render() const;
    // First line's text joined (for logs and embedding in another reply).
    std::string one_line() const;
    friend bool operator==(const Reply&, const Reply&) = default;
};

}  // namespace exosim::core
