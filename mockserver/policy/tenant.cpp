#include "policy/tenant.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <set>
#include <stdexcept>
#include <utility>

namespace exosim::policy {

using core::ascii::iequals;

std::string_view domain_of(std::string_view address) {
    const auto at = address.rfind('@');
    return at == std::string_view::npos ? std::string_view{} : address.substr(at + 1);
}

namespace {

// Parses an IPv4 or IPv6 address (brackets and an "IPv6:" tag tolerated) into 16 bytes.
bool parse_address(std::string_view text, std::array<std::uint8_t, 16>& out, bool& v6) {
    if (!text.empty() && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
    if (text.size() > 5 && iequals(text.substr(0, 5), "ipv6:")) text = text.substr(5);
    const std::string s(text);
    out.fill(0);
    if (inet_pton(AF_INET, s.c_str(), out.data()) == 1) {
        v6 = false;
        return true;
    }
    if (inet_pton(AF_INET6, s.c_str(), out.data()) == 1) {
        v6 = true;
        return true;
    }
    return false;
}

bool is_loopback(std::string_view address) {
    std::array<std::uint8_t, 16> b{};
    bool v6 = false;
    if (!parse_address(address, b, v6)) return false;
    if (!v6) return b[0] == 127;
    for (std::size_t i = 0; i < 15; ++i) {
        if (b[i] != 0) return false;
    }
    return b[15] == 1;
}

}  // namespace

std::optional<IpRange> IpRange::parse(std::string_view text) {
    IpRange r;
    const auto slash = text.find('/');
    if (!parse_address(text.substr(0, slash), r.bytes, r.v6)) return std::nullopt;
    const unsigned max = r.v6 ? 128 : 32;
    r.prefix = max;
    if (slash != std::string_view::npos) {
        const auto digits = text.substr(slash + 1);
        if (digits.empty() || digits.size() > 3) return std::nullopt;
        unsigned p = 0;
        for (char c : digits) {
            if (c < '0' || c > '9') return std::nullopt;
            p = p * 10 + static_cast<unsigned>(c - '0');
        }
        if (p > max) return std::nullopt;
        r.prefix = p;
    }
    return r;
}

bool IpRange::contains(std::string_view address) const {
    std::array<std::uint8_t, 16> b{};
    bool addr_v6 = false;
    if (!parse_address(address, b, addr_v6) || addr_v6 != v6) return false;
    unsigned bits = prefix;
    for (std::size_t i = 0; bits > 0; ++i, bits = bits >= 8 ? bits - 8 : 0) {
        const auto mask = static_cast<std::uint8_t>(bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF);
        if ((b[i] & mask) != (bytes[i] & mask)) return false;
    }
    return true;
}

std::string IpRange::str() const {
    char buf[INET6_ADDRSTRLEN] = {};
    inet_ntop(v6 ? AF_INET6 : AF_INET, bytes.data(), buf, sizeof buf);
    return std::string(buf) + "/" + std::to_string(prefix);
}

bool Tenant::accepts_domain(std::string_view domain) const {
    return std::any_of(accepted_domains.begin(), accepted_domains.end(),
                       [&](const std::string& d) { return iequals(d, domain); });
}

const MailboxAccount* Tenant::find_mailbox(std::string_view address) const {
    for (const auto& m : mailboxes) {
        if (iequals(m.address, address)) return &m;
    }
    return nullptr;
}

std::string AddressMap::seen(std::string_view client_address) const {
    if (auto it = entries.find(std::string(client_address)); it != entries.end()) return it->second;
    if (map_non_loopback || is_loopback(client_address)) return default_address;
    return std::string(client_address);
}

const Tenant* Directory::tenant_for_domain(std::string_view domain) const {
    for (const auto& t : tenants) {
        if (t.accepts_domain(domain)) return &t;
    }
    return nullptr;
}

const Tenant* Directory::tenant_for_mx_host(std::string_view host) const {
    for (const auto& t : tenants) {
        if (iequals(t.mx_host, host)) return &t;
    }
    return nullptr;
}

const Tenant* Directory::tenant_for_address(std::string_view address) const {
    return tenant_for_domain(domain_of(address));
}

const MailboxAccount* Directory::find_mailbox(std::string_view address) const {
    const Tenant* t = tenant_for_address(address);
    return t == nullptr ? nullptr : t->find_mailbox(address);
}

MailboxAccount* Directory::find_mailbox(std::string_view address) {
    return const_cast<MailboxAccount*>(std::as_const(*this).find_mailbox(address));
}

const Tenant* Directory::find_tenant(std::string_view name_or_domain) const {
    for (const auto& t : tenants) {
        if (iequals(t.name, name_or_domain) || t.accepts_domain(name_or_domain)) return &t;
    }
    return nullptr;
}

Tenant* Directory::find_tenant(std::string_view name_or_domain) {
    return const_cast<Tenant*>(std::as_const(*this).find_tenant(name_or_domain));
}

bool Directory::is_blocked(std::string_view seen_address) const {
    return std::any_of(blocked_ips.begin(), blocked_ips.end(),
                       [&](const IpRange& r) { return r.contains(seen_address); });
}

const std::string* Directory::spf_record(std::string_view domain) const {
    for (const auto& [d, record] : spf_records) {
        if (iequals(d, domain)) return &record;
    }
    return nullptr;
}

void Directory::validate() const {
    std::set<std::string> domains;
    std::set<std::string> addresses;
    for (const auto& t : tenants) {
        if (t.name.empty()) throw std::invalid_argument("tenant without a name");
        if (t.accepted_domains.empty()) throw std::invalid_argument("tenant " + t.name + ": no accepted domain");
        for (const auto& d : t.accepted_domains) {
            if (!domains.insert(lower(d)).second) throw std::invalid_argument("accepted domain " + d + " listed twice");
        }
        const auto n = t.settings.recipients_per_message;
        if (n < 1 || n > 1000) {
            throw std::invalid_argument("tenant " + t.name + ": recipients_per_message must be 1..1000");
        }
        for (const auto& m : t.mailboxes) {
            if (!t.accepts_domain(domain_of(m.address))) {
                throw std::invalid_argument("mailbox " + m.address + " is outside the accepted domains of " + t.name);
            }
            if (!addresses.insert(lower(m.address)).second) {
                throw std::invalid_argument("mailbox " + m.address + " listed twice");
            }
        }
        for (const auto& c : t.connectors) {
            if (!c.certificate_domain.empty() && !t.accepts_domain(c.certificate_domain)) {
                throw std::invalid_argument("connector " + c.name + ": certificate domain " + c.certificate_domain +
                                            " is not an accepted domain of " + t.name);
            }
            if (c.certificate_domain.empty() && c.source_ip_ranges.empty()) {
                throw std::invalid_argument("connector " + c.name + ": needs source IP ranges or a certificate domain");
            }
        }
    }
}

namespace {

MailboxAccount mailbox(std::string address, std::string password, SmtpAuthSetting auth = SmtpAuthSetting::inherit) {
    MailboxAccount m;
    m.address = std::move(address);
    m.password = std::move(password);
    m.smtp_auth = auth;
    return m;
}

Tenant contoso() {
    Tenant t;
    t.name = "contoso.com";
    t.accepted_domains = {"contoso.com"};
    t.mx_host = "contoso-com.mail.protection.outlook.com";
    t.mailboxes.push_back(mailbox("printer@contoso.com", "Printer-Pass-1", SmtpAuthSetting::enabled));
    t.mailboxes.push_back(mailbox("scanner@contoso.com", "Scanner-Pass-1", SmtpAuthSetting::disabled));
    auto app = mailbox("app@contoso.com", "App-Pass-1");
    app.send_as = {"noreply@contoso.com"};
    t.mailboxes.push_back(app);
    t.mailboxes.push_back(mailbox("alice@contoso.com", ""));
    t.mailboxes.push_back(mailbox("bob@contoso.com", ""));
    t.mailboxes.push_back(mailbox("noreply@contoso.com", ""));
    // Issue 14: sign-in test users of the Entra stand-in; they are mailboxes with SMTP AUTH on.
    t.mailboxes.push_back(mailbox("mfa@contoso.com", "Mfa-Pass-1", SmtpAuthSetting::enabled));
    auto blocked = mailbox("blocked@contoso.com", "Blocked-Pass-1", SmtpAuthSetting::enabled);
    blocked.conditional_access_blocked = true;
    t.mailboxes.push_back(blocked);
    InboundConnector c;
    c.name = "contoso-devices";
    c.source_ip_ranges = {*IpRange::parse("203.0.113.10/32")};
    c.certificate_domain = "contoso.com";
    t.connectors.push_back(c);
    return t;
}

Tenant fabrikam() {
    Tenant t;
    t.name = "fabrikam.com";
    t.accepted_domains = {"fabrikam.com"};
    t.mx_host = "fabrikam-com.mail.protection.outlook.com";
    t.settings.smtp_auth_disabled = true;
    t.mailboxes.push_back(mailbox("device@fabrikam.com", "Device-Pass-1"));
    return t;
}

}  // namespace

Directory default_directory() {
    Directory d;
    d.tenants = {contoso(), fabrikam()};
    d.blocked_ips = {*IpRange::parse("198.51.100.66/32")};
    d.address_map.entries = {{"127.0.0.10", "203.0.113.10"}, {"127.0.0.66", "198.51.100.66"}};
    d.address_map.default_address = "192.0.2.1";
    // Not in the list: an SPF record so direct-send scenarios see pass (203.0.113.10) and
    // fail (anything else) for contoso.com instead of always "none".
    d.spf_records = {{"contoso.com", "v=spf1 ip4:203.0.113.10 -all"}};
    return d;
}

}  // namespace exosim::policy
