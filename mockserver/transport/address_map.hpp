#pragma once
// Loopback stand-ins for public addresses: a client bound to 127.0.0.10 is seen by policy as
// 203.0.113.10, so connector and blocklist scenarios run on one machine (DESIGN "Defaults").
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace exosim::transport {

class AddressMap {
public:
    struct Entry {
        std::string from;  // real client address (IPv4 or IPv6 literal)
        std::string to;    // address the policy sees
    };

    AddressMap() = default;
    // `default_seen` applies to loopback clients without an entry; other addresses map to
    // themselves (a printer on a lab network is seen as what it is).
    AddressMap(std::vector<Entry> entries, std::string default_seen);

    // The exosim defaults: 127.0.0.10 -> 203.0.113.10, 127.0.0.66 -> 198.51.100.66, else 192.0.2.1.
    static AddressMap defaults();

    std::string seen(std::string_view client_address) const;
    const std::vector<Entry>& entries() const { return entries_; }
    const std::string& default_seen() const { return default_seen_; }

private:
    std::vector<Entry> entries_;
    std::string default_seen_ = "192.0.2.1";
};

// "::ffff:127.0.0.10" -> "127.0.0.10"; other text unchanged.
std::string_view unmap_v4(std::string_view address);
bool is_loopback(std::string_view address);

}  // namespace exosim::transport
