#include "app/tenant_json.hpp"

#include <stdexcept>
#include <string_view>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "policy/tenant_fields.hpp"

namespace exosim::app {

namespace {

namespace json = boost::json;

// A JSON scalar (or, for send_as, an array of strings) as the text tenant_fields reads.
std::string field_text(std::string_view key, const json::value& v) {
    if (v.is_string()) return std::string(v.get_string());
    if (v.is_bool()) return v.get_bool() ? "true" : "false";
    if (v.is_int64()) return std::to_string(v.get_int64());
    if (v.is_uint64()) return std::to_string(v.get_uint64());
    if (v.is_null()) return "inherit";
    if (v.is_array()) {
        std::string out;
        for (const auto& item : v.get_array()) {
            if (!item.is_string()) throw std::invalid_argument(std::string(key) + ": expected a list of addresses");
            out += (out.empty() ? "" : ",") + std::string(item.get_string());
        }
        return out;
    }
    throw std::invalid_argument(std::string(key) + ": expected a string, number or boolean");
}

json::object mailbox_json(const policy::MailboxAccount& m) {
    json::object o;
    o["address"] = m.address;
    o["has_password"] = !m.password.empty();
    o["licensed"] = m.licensed;
    o["smtp_auth"] = std::string(policy::smtp_auth_name(m.smtp_auth));
    json::array send_as;
    for (const auto& a : m.send_as) send_as.emplace_back(a);
    o["send_as"] = std::move(send_as);
    o["locked"] = m.locked;
    o["conditional_access_blocked"] = m.conditional_access_blocked;
    return o;
}

json::object tenant_json(const policy::Tenant& t) {
    json::object o;
    o["name"] = t.name;
    json::array domains;
    for (const auto& d : t.accepted_domains) domains.emplace_back(d);
    o["accepted_domains"] = std::move(domains);
    o["mx_host"] = t.mx_host;
    json::object settings;
    for (std::string_view key : policy::tenant_setting_keys()) {
        const std::string v = policy::tenant_setting_text(t.settings, key);
        if (v == "true" || v == "false") settings[key] = v == "true";
        else if (key == "recipients_per_message") settings[key] = t.settings.recipients_per_message;
        else settings[key] = v;
    }
    o["settings"] = std::move(settings);
    json::array mailboxes;
    for (const auto& m : t.mailboxes) mailboxes.emplace_back(mailbox_json(m));
    o["mailboxes"] = std::move(mailboxes);
    json::array connectors;
    for (const auto& c : t.connectors) {
        json::object co;
        co["name"] = c.name;
        json::array ranges;
        for (const auto& r : c.source_ip_ranges) ranges.emplace_back(r.str());
        co["source_ips"] = std::move(ranges);
        co["certificate_domain"] = c.certificate_domain;
        co["require_tls"] = c.require_tls;
        connectors.emplace_back(std::move(co));
    }
    o["connectors"] = std::move(connectors);
    return o;
}

void patch_mailboxes(policy::Tenant& tenant, const json::value& value) {
    if (!value.is_object()) throw std::invalid_argument("mailboxes: expected an object of address: {field: value}");
    for (const auto& [address, fields] : value.get_object()) {
        policy::MailboxAccount* m = nullptr;
        for (auto& candidate : tenant.mailboxes)
            if (policy::lower(candidate.address) == policy::lower(address)) m = &candidate;
        if (!m) throw std::invalid_argument("no mailbox " + std::string(address) + " in " + tenant.name);
        if (!fields.is_object()) throw std::invalid_argument(std::string(address) + ": expected an object");
        for (const auto& [k, v] : fields.get_object()) policy::set_mailbox_field(*m, k, field_text(k, v));
    }
}

}  // namespace

json::value directory_json(const policy::Directory& d) {
    json::object out;
    json::array tenants;
    for (const auto& t : d.tenants) tenants.emplace_back(tenant_json(t));
    out["tenants"] = std::move(tenants);
    json::array blocked;
    for (const auto& r : d.blocked_ips) blocked.emplace_back(r.str());
    out["blocked_ips"] = std::move(blocked);
    json::object spf;
    for (const auto& [domain, record] : d.spf_records) spf[domain] = record;
    out["spf_records"] = std::move(spf);
    return out;
}

void apply_tenant_patch(policy::Directory& directory, const std::string& domain, const json::value& patch) {
    if (!patch.is_object()) throw std::invalid_argument("tenant patch: expected a JSON object");
    policy::Tenant* tenant = directory.find_tenant(domain);
    if (!tenant) throw std::invalid_argument("no tenant named or accepting '" + domain + "'");
    for (const auto& [key, value] : patch.get_object()) {
        if (key == "settings") {
            if (!value.is_object()) throw std::invalid_argument("settings: expected an object");
            for (const auto& [k, v] : value.get_object())
                policy::set_tenant_setting(tenant->settings, k, field_text(k, v));
        } else if (key == "mailboxes") {
            patch_mailboxes(*tenant, value);
        } else {
            throw std::invalid_argument("unknown tenant patch key '" + std::string(key) + "' (known: settings, mailboxes)");
        }
    }
}

}  // namespace exosim::app
