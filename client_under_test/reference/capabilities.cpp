#include "reference/capabilities.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace exosim::client {
namespace {

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::vector<std::string_view> tokens(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t pos = 0;
    while (pos < line.size()) {
        std::size_t end = line.find_first_of(" \t", pos);
        if (end == std::string_view::npos) end = line.size();
        if (end > pos) out.push_back(line.substr(pos, end - pos));
        pos = end + 1;
    }
    return out;
}

void add_mechanisms(std::vector<std::string>& auth, const std::vector<std::string_view>& words,
                    std::size_t first) {
    for (std::size_t i = first; i < words.size(); ++i) {
        if (words[i].empty()) continue;
        std::string mech = upper(words[i]);
        if (std::find(auth.begin(), auth.end(), mech) == auth.end()) auth.push_back(std::move(mech));
    }
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::toupper(static_cast<unsigned char>(x)) == std::toupper(static_cast<unsigned char>(y));
           });
}

Capabilities Capabilities::from_ehlo(const core::Reply& reply) {
    Capabilities caps;
    for (std::size_t i = 1; i < reply.lines.size(); ++i) {
        std::vector<std::string_view> words = tokens(reply.lines[i]);
        if (words.empty()) continue;
        std::string keyword = upper(words[0]);
        if (keyword == "AUTH") {
            add_mechanisms(caps.auth_, words, 1);
        } else if (keyword.starts_with("AUTH=")) {
            words[0].remove_prefix(5);
            add_mechanisms(caps.auth_, words, 0);
        } else if (keyword == "SIZE" && words.size() > 1) {
            std::from_chars(words[1].data(), words[1].data() + words[1].size(), caps.max_size_);
        }
        caps.keywords_.push_back(std::move(keyword));
    }
    return caps;
}

bool Capabilities::has(std::string_view keyword) const {
    return std::any_of(keywords_.begin(), keywords_.end(), [&](const std::string& k) { return iequals(k, keyword); });
}

bool Capabilities::offers_auth(std::string_view mechanism) const {
    return std::any_of(auth_.begin(), auth_.end(), [&](const std::string& m) { return iequals(m, mechanism); });
}

}  // namespace exosim::client
