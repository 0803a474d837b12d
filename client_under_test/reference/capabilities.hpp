#pragma once
// ESMTP capabilities from an EHLO reply (RFC 5321 4.1.1.1). Keywords are whole tokens compared
// case-insensitively (RFC 5321 2.4), so XSTARTTLS or STARTTLSX never count as STARTTLS (CC-29).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/reply.hpp"

namespace exosim::client {

class Capabilities {
public:
    Capabilities() = default;
    // Lines after the first (the server's domain) are "keyword *(SP param)".
    static Capabilities from_ehlo(const core::Reply& reply);

    bool has(std::string_view keyword) const;
    // AUTH mechanisms, upper-cased; the legacy "AUTH=LOGIN PLAIN" form counts too (old Exchange).
    bool offers_auth(std::string_view mechanism) const;
    // RFC 1870: the SIZE value; 0 when absent, empty or 0 (no fixed limit).
    std::uint64_t max_size() const { return max_size_; }
    const std::vector<std::string>& auth_mechanisms() const { return auth_; }

private:
    std::vector<std::string> keywords_;  // upper-cased
    std::vector<std::string> auth_;      // upper-cased
    std::uint64_t max_size_ = 0;
};


}  // namespace exosim::client
