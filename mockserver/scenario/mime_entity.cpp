#include "scenario/mime_entity.hpp"

#include <algorithm>

#include "core/ascii.hpp"
#include "core/base64.hpp"

namespace exosim::scenario {

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string decode_quoted_printable(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '=') { out += s[i]; continue; }
        if (i + 1 < s.size() && (s[i + 1] == '\r' || s[i + 1] == '\n')) {  // soft line break
            i += (s[i + 1] == '\r' && i + 2 < s.size() && s[i + 2] == '\n') ? 2 : 1;
            continue;
        }
        if (i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            i += 2;
        } else {
            out += '=';
        }
    }
    return out;
}

}  // namespace

std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    return out;
}

std::string_view trim_blanks(std::string_view s) {
    while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
    return s;
}

std::size_t header_end(std::string_view m) {
    for (std::size_t pos = 0; pos < m.size();) {
        const std::size_t lf = m.find('\n', pos);
        if (lf == std::string_view::npos) return m.size();
        if (trim_blanks(m.substr(pos, lf - pos)).empty()) return lf + 1;
        pos = lf + 1;
    }
    return m.size();
}

std::vector<HeaderField> header_fields(std::string_view message) {
    std::vector<HeaderField> out;
    const std::string_view head = message.substr(0, header_end(message));
    for (std::size_t start = 0; start < head.size();) {
        const std::size_t lf = head.find('\n', start);
        const std::size_t end = lf == std::string_view::npos ? head.size() : lf + 1;
        const std::string_view line = head.substr(start, end - start);
        start = end;
        if (trim_blanks(line).empty()) break;
        if ((line[0] == ' ' || line[0] == '\t') && !out.empty()) {
            out.back().value += " " + std::string(trim_blanks(line));
            continue;
        }
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        out.push_back({std::string(trim_blanks(line.substr(0, colon))), std::string(trim_blanks(line.substr(colon + 1)))});
    }
    return out;
}

const HeaderField* find_header(const std::vector<HeaderField>& fields, std::string_view name) {
    auto it = std::find_if(fields.begin(), fields.end(),
                           [&](const HeaderField& f) { return core::ascii::iequals(f.name, name); });
    return it == fields.end() ? nullptr : &*it;
}

std::optional<std::string> header_parameter(std::string_view value, std::string_view key) {
    const std::string l = ascii_lower(value);
    const std::string k = ascii_lower(key);
    for (std::size_t at = l.find(k); at != std::string::npos; at = l.find(k, at + 1)) {
        const bool boundary = at == 0 || l[at - 1] == ';' || l[at - 1] == ' ' || l[at - 1] == '\t';
        std::size_t i = at + k.size();
        while (i < l.size() && l[i] == ' ') ++i;
        if (!boundary || i >= l.size() || l[i] != '=') continue;
        ++i;
        while (i < l.size() && l[i] == ' ') ++i;
        if (i < value.size() && value[i] == '"') {
            const std::size_t end = value.find('"', i + 1);
            return std::string(value.substr(i + 1, end == std::string_view::npos ? end : end - i - 1));
        }
        std::size_t end = i;
        while (end < value.size() && value[end] != ';' && value[end] != ' ' && value[end] != '\t') ++end;
        return std::string(value.substr(i, end - i));
    }
    return std::nullopt;
}

std::vector<std::string_view> multipart_parts(std::string_view body, std::string_view boundary) {
    std::vector<std::string_view> out;
    const std::string delim = "--" + std::string(boundary);
    const std::string line_delim = "\n" + delim;
    // line_start is where a delimiter line begins. It is tracked on its own, not derived from a
    // find() result of 0: a body that opens with "\n--b" would otherwise read as "starts with the
    // delimiter", find the same delimiter again at 0 and never advance (a fuzzer found that loop).
    std::size_t line_start = body.starts_with(delim) ? 0 : body.find(line_delim);
    if (line_start != std::string_view::npos && !body.starts_with(delim)) ++line_start;
    while (line_start != std::string_view::npos) {
        if (body.substr(line_start + delim.size()).starts_with("--")) break;  // close delimiter
        const std::size_t start = body.find('\n', line_start);
        if (start == std::string_view::npos) break;
        const std::size_t next = body.find(line_delim, start);
        std::size_t end = next == std::string_view::npos ? body.size() : next;
        if (end > start + 1 && body[end - 1] == '\r') --end;
        out.push_back(end > start ? body.substr(start + 1, end - start - 1) : std::string_view{});
        line_start = next == std::string_view::npos ? next : next + 1;
    }
    return out;
}

std::optional<std::string> decode_transfer_encoding(std::string_view encoding, std::string_view body) {
    if (encoding == "base64") {
        std::string compact;
        for (char c : body)
            if (!is_blank(c)) compact += c;
        return core::base64_decode(compact);
    }
    if (encoding == "quoted-printable") return decode_quoted_printable(body);
    return std::string(body);
}

}  // namespace exosim::scenario
