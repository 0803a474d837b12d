#include "core/ehlo_keywords.hpp"

#include "core/ascii.hpp"

namespace exosim::core {

std::vector<std::string_view> ehlo_tokens(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && line[i] == ' ') ++i;
        std::size_t j = i;
        while (j < line.size() && line[j] != ' ') ++j;
        if (j > i) out.push_back(line.substr(i, j - i));
        i = j;
    }
    return out;
}

std::optional<EhloLine> parse_ehlo_line(std::string_view line) {
    std::vector<std::string_view> t = ehlo_tokens(line);
    if (t.empty()) return std::nullopt;
    EhloLine out{ascii::upper(t.front()), {}};
    out.params.assign(t.begin() + 1, t.end());
    return out;
}

std::vector<std::string> ehlo_auth_mechanisms(std::string_view line, bool legacy_form) {
    std::vector<std::string> out;
    std::optional<EhloLine> l = parse_ehlo_line(line);
    if (!l) return out;
    if (legacy_form && l->keyword.starts_with("AUTH=")) {
        out.push_back(l->keyword.substr(5));
    } else if (l->keyword != "AUTH") {
        return out;
    }
    for (std::string_view m : l->params) out.push_back(ascii::upper(m));
    return out;
}

}  // namespace exosim::core
