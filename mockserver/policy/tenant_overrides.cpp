#include "policy/tenant_overrides.hpp"

#include <charconv>
#include <stdexcept>

#include "policy/tenant_fields.hpp"

namespace exosim::policy {

namespace {

// A count a scenario may preload into a throttle; the bound keeps a typo from stalling a run.
inline constexpr std::size_t max_state_count = 1000000;

std::size_t count_value(std::string_view key, std::string_view value) {
    std::size_t n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc{} || end != value.data() + value.size() || n > max_state_count)
        throw std::invalid_argument(std::string(key) + ": '" + std::string(value) + "' is not a count (0..1000000)");
    return n;
}

MailboxAccount& mailbox(Directory& d, std::string_view address) {
    if (MailboxAccount* m = d.find_mailbox(address)) return *m;
    throw std::invalid_argument("no mailbox " + std::string(address) + " in the directory");
}

void apply_one(Directory& d, const std::string& key, const std::string& value) {
    if (key.starts_with("mailbox.")) {
        const std::string rest = key.substr(8);
        const auto dot = rest.rfind('.');
        if (dot == std::string::npos || rest.find('@') == std::string::npos || rest.find('@') > dot)
            throw std::invalid_argument(key + ": expected mailbox.<address>.<field>");
        set_mailbox_field(mailbox(d, rest.substr(0, dot)), rest.substr(dot + 1), value);
    } else if (key.starts_with("tenant.")) {
        const std::string rest = key.substr(7);
        const auto dot = rest.rfind('.');
        if (dot == std::string::npos) throw std::invalid_argument(key + ": expected tenant.<domain>.<setting>");
        Tenant* t = d.find_tenant(rest.substr(0, dot));
        if (!t) throw std::invalid_argument(key + ": no tenant '" + rest.substr(0, dot) + "'");
        set_tenant_setting(t->settings, rest.substr(dot + 1), value);
    } else {
        if (d.tenants.empty()) throw std::invalid_argument(key + ": no tenant configured");
        set_tenant_setting(d.tenants.front().settings, key, value);
    }
}

}  // namespace

void apply_directory_overrides(Directory& d, const std::map<std::string, std::string>& overrides) {
    for (const auto& [key, value] : overrides) {
        if (!is_state_override(key)) apply_one(d, key, value);
    }
    d.validate();
}

bool is_state_override(std::string_view key) {
    for (std::string_view prefix : {"recipients_sent_today.", "messages_this_minute.", "auth_failures."})
        if (key.starts_with(prefix)) return true;
    return false;
}

StateOverride parse_state_override(const Directory& d, std::string_view key, std::string_view value) {
    const auto dot = key.find('.');
    const std::string address(key.substr(dot + 1));
    if (d.find_mailbox(address) == nullptr) throw std::invalid_argument("no mailbox " + address + " in the directory");
    return {std::string(key.substr(0, dot)), address, count_value(key, value)};
}

}  // namespace exosim::policy
