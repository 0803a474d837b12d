// Byte builders for the anomaly generators.
#include "fuzz/anomaly_bytes.hpp"

#include "fuzz/anomaly.hpp"

namespace exosim::fuzz::bytes {

std::string code_text(int code) { return std::to_string(code); }

std::string long_first_line(Stage s, std::size_t octets) {
    std::vector<std::string> lines = valid_lines(s);
    const std::size_t fixed = 4 + lines.front().size() + 2;  // "250 " or "250-", text, CRLF
    if (octets > fixed) lines.front() += std::string(octets - fixed, 'x');
    return render_lines(valid_code(s), lines);
}

std::string with_continuations(Stage s, std::size_t count, bool final_line) {
    const std::string code = code_text(valid_code(s));
    std::vector<std::string> lines = valid_lines(s);
    std::string out;
    for (std::size_t i = 0; i + 1 < lines.size(); ++i) out += code + "-" + lines[i] + "\r\n";
    out.reserve(out.size() + count * (code.size() + 9));
    for (std::size_t i = 0; i < count; ++i) out += code + "-X-FUZZ\r\n";
    out += code + (final_line ? " " : "-") + lines.back() + "\r\n";
    return out;
}

std::string with_eol(Stage s, const std::string& eol) {
    std::string out;
    const std::string valid = render_lines(valid_code(s), valid_lines(s));
    for (std::size_t i = 0; i < valid.size(); ++i) {
        if (valid.compare(i, 2, "\r\n") == 0) {
            out += eol;
            ++i;
        } else {
            out += valid[i];
        }
    }
    return out;
}

std::string ehlo_reply(const std::vector<std::string>& keywords) {
    std::vector<std::string> lines{"exosim.fuzz Hello"};
    lines.insert(lines.end(), keywords.begin(), keywords.end());
    return render_lines(250, lines);
}

std::vector<std::string> ehlo_keywords(Stage s) {
    std::vector<std::string> lines = valid_lines(s);
    lines.erase(lines.begin());
    return lines;
}

scenario::Action raw(std::string bytes) {
    scenario::Action a;
    a.reply.raw = std::move(bytes);
    return a;
}

scenario::Action reply(std::string text) {
    scenario::Action a;
    a.reply.text = std::move(text);
    // The scenario language's rule (schema README): a 421 closes, as RFC 5321 3.8 says.
    a.reply.closes = a.reply.text->starts_with("421");
    return a;
}

}  // namespace exosim::fuzz::bytes
