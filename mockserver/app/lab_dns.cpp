#include "app/lab_dns.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace exosim::app {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

void add_unique(std::vector<std::string>& v, std::string s) {
    if (!s.empty() && std::find(v.begin(), v.end(), s) == v.end()) v.push_back(std::move(s));
}

}  // namespace

lab::dns::Zone lab_zone(const AppConfig& config, const std::string& address) {
    lab::dns::Zone zone;
    if (!lab::dns::set_lab_address(zone, address))
        throw std::invalid_argument("dns: '" + address + "' is not one IP address to answer with (use --bind ADDR)");
    zone.hosts = lab::dns::fixed_lab_hosts();
    add_unique(zone.owned_zones, lower(config.exchange.mx_domain));
    for (const policy::Tenant& t : config.directory.tenants) {
        add_unique(zone.hosts, lower(t.mx_host));
        for (const std::string& d : t.accepted_domains) {
            lab::dns::MailDomain m{lower(d), {}, {}};
            if (!t.mx_host.empty()) m.mx_hosts.push_back(lower(t.mx_host));
            if (const std::string* spf = config.directory.spf_record(d)) m.txt.push_back(*spf);
            add_unique(zone.owned_zones, m.domain);
            zone.mail.push_back(std::move(m));
        }
    }
    return zone;
}

}  // namespace exosim::app
