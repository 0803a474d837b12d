#include "reference/capabilities.hpp"

#include <algorithm>
#include <charconv>

#include "core/ascii.hpp"
#include "core/ehlo_keywords.hpp"

namespace exosim::client {

Capabilities Capabilities::from_ehlo(const core::Reply& reply) {
    Capabilities caps;
    for (std::size_t i = 1; i < reply.lines.size(); ++i) {
        std::optional<core::EhloLine> line = core::parse_ehlo_line(reply.lines[i]);
        if (!line) continue;
        for (std::string& mech : core::ehlo_auth_mechanisms(reply.lines[i], true)) {
            if (!mech.empty() && std::find(caps.auth_.begin(), caps.auth_.end(), mech) == caps.auth_.end())
                caps.auth_.push_back(std::move(mech));
        }
        if (line->keyword == "SIZE" && !line->params.empty()) {
            const std::string_view v = line->params.front();
            std::from_chars(v.data(), v.data() + v.size(), caps.max_size_);
        }
        caps.keywords_.push_back(std::move(line->keyword));
    }
    return caps;
}

bool Capabilities::has(std::string_view keyword) const {
    return std::any_of(keywords_.begin(), keywords_.end(),
                       [&](const std::string& k) { return core::ascii::iequals(k, keyword); });
}

bool Capabilities::offers_auth(std::string_view mechanism) const {
    return std::any_of(auth_.begin(), auth_.end(),
                       [&](const std::string& m) { return core::ascii::iequals(m, mechanism); });
}

}  // namespace exosim::client
