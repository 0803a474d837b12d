#include "lab/dns_zone.hpp"

#include <arpa/inet.h>

#include <algorithm>

namespace exosim::lab::dns {

const std::vector<std::string>& fixed_lab_hosts() {
    static const std::vector<std::string> hosts = {
        // exchange-online-smtp.md §1: the client-submission endpoints.
        "smtp.office365.com", "smtp-legacy.office365.com",
        // entra-id-oauth.md §2: the authority and its aliases (instance discovery metadata).
        "login.microsoftonline.com", "login.microsoft.com", "login.windows.net", "sts.windows.net",
        // entra-id-oauth.md §2: the device-code verification page https://microsoft.com/devicelogin.
        "microsoft.com", "www.microsoft.com",
    };
    return hosts;
}

bool set_lab_address(Zone& zone, const std::string& text) {
    std::array<std::uint8_t, 4> v4{};
    std::array<std::uint8_t, 16> v6{};
    if (inet_pton(AF_INET, text.c_str(), v4.data()) == 1) {
        if (std::all_of(v4.begin(), v4.end(), [](std::uint8_t b) { return b == 0; })) return false;
        zone.v4 = v4;
        zone.v6.reset();
        return true;
    }
    if (inet_pton(AF_INET6, text.c_str(), v6.data()) == 1) {
        if (std::all_of(v6.begin(), v6.end(), [](std::uint8_t b) { return b == 0; })) return false;
        zone.v6 = v6;
        zone.v4.reset();
        return true;
    }
    return false;
}

}  // namespace exosim::lab::dns
