// Reply rendering (RFC 5321 4.2, RFC 2034 enhanced codes on every line).
#include "core/reply.hpp"

namespace exosim::core {

std::string EnhancedCode::str() const {
    return std::to_string(klass) + "." + std::to_string(subject) + "." + std::to_string(detail);
}

// Every line is "CODE-text" except the last, "CODE text" (RFC 5321 4.2.1). A reply without
// text renders as "CODE \r\n" (code and separator only): one line, never an empty reply.
std::string Reply::render() const {
    const std::string code_str = std::to_string(code);
    const std::string prefix = enhanced ? enhanced->str() : std::string{};
    if (lines.empty()) {
        return code_str + " " + (prefix.empty() ? std::string{} : prefix) + "\r\n";
    }
    std::string out;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        out += code_str;
        out += (i + 1 == lines.size()) ? ' ' : '-';
        if (!prefix.empty()) {
            out += prefix;
            if (!lines[i].empty()) out += ' ';
        }
        out += lines[i];
        out += "\r\n";
    }
    return out;
}

std::string Reply::one_line() const {
    std::string out = std::to_string(code);
    if (enhanced) out += " " + enhanced->str();
    if (!lines.empty() && !lines.front().empty()) out += " " + lines.front();
    return out;
}

}  // namespace exosim::core
