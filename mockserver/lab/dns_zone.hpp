#pragma once
// What the lab DNS stub knows: the names it answers for and the mail data of the accepted
// domains, built from the configuration (app/lab_dns_zone.cpp). Plain data, std only.
//
// Owned zones (the accepted domains and the tenants' MX zone, e.g. mail.protection.outlook.com)
// get NXDOMAIN for unknown names, with their SOA for negative caching (RFC 2308 2.1, 5): the stub
// is their authority. Any other unknown name gets REFUSED (RFC 1035 4.1.1: refused "for policy
// reasons"), so a device configured with a second resolver asks that one instead of caching a
// false "does not exist" for microsoft.com's other names.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace exosim::lab::dns {

struct MailDomain {
    std::string domain;                // accepted domain, lower-case
    std::vector<std::string> mx_hosts; // preference 0 first (one per tenant today)
    std::vector<std::string> txt;      // SPF record(s)
};

struct Zone {
    // The lab address: A when IPv4, AAAA when IPv6 (the other type answers NODATA).
    std::optional<std::array<std::uint8_t, 4>> v4;
    std::optional<std::array<std::uint8_t, 16>> v6;
    std::vector<std::string> hosts;        // lower-case names answered with the lab address
    std::vector<MailDomain> mail;
    std::vector<std::string> owned_zones;  // lower-case apexes answered with NXDOMAIN/SOA
};

// Names every lab serves (smtp.office365.com, login.microsoftonline.com and its aliases,
// microsoft.com, ...): reference exchange-online-smtp.md §1 and entra-id-oauth.md.
const std::vector<std::string>& fixed_lab_hosts();

// "127.0.0.1" / "::1" -> the address bytes in `zone`; false when `text` is not an IP literal or
// is the unspecified address (a wildcard bind has no single lab address).
bool set_lab_address(Zone& zone, const std::string& text);

}  // namespace exosim::lab::dns
