#include "reference/smtp_data.hpp"

namespace exosim::client {

std::string encode_data(std::string_view message, const DataOptions& options) {
    const std::string_view eol = options.bare_lf ? "\n" : "\r\n";
    std::string out;
    out.reserve(message.size() + message.size() / 64 + 8);
    bool line_start = true;
    for (std::size_t i = 0; i < message.size(); ++i) {
        char c = message[i];
        if (c == '\r' || c == '\n') {
            if (c == '\r' && i + 1 < message.size() && message[i + 1] == '\n') ++i;
            out += eol;
            line_start = true;
            continue;
        }
        if (line_start && c == '.' && options.dot_stuffing) out += '.';
        out += c;
        line_start = false;
    }
    if (!line_start) out += eol;
    out += '.';
    out += eol;
    return out;
}

}  // namespace exosim::client
