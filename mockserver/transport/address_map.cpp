#include "transport/address_map.hpp"

namespace exosim::transport {

AddressMap::AddressMap(std::vector<Entry> entries, std::string default_seen)
    : entries_(std::move(entries)), default_seen_(std::move(default_seen)) {}

AddressMap AddressMap::defaults() {
    return AddressMap({{"127.0.0.10", "203.0.113.10"}, {"127.0.0.66", "198.51.100.66"}}, "192.0.2.1");
}

std::string_view unmap_v4(std::string_view address) {
    constexpr std::string_view prefix = "::ffff:";
    if (address.size() > prefix.size() && address.substr(0, prefix.size()) == prefix &&
        address.find('.') != std::string_view::npos)
        return address.substr(prefix.size());
    return address;
}

bool is_loopback(std::string_view address) {
    address = unmap_v4(address);
    return address.starts_with("127.") || address == "::1";
}

std::string AddressMap::seen(std::string_view client_address) const {
    std::string_view plain = unmap_v4(client_address);
    for (const Entry& e : entries_)
        if (e.from == plain) return e.to;
    if (is_loopback(plain) && !default_seen_.empty()) return default_seen_;
    return std::string(plain);
}

}  // namespace exosim::transport
