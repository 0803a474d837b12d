// Loaders of the Exchange Online sections (issue 3). Each section replaces the same section of the
// configuration below it (the embedded default), like every other top-level key.
#include "app/config_exchange.hpp"

#include <set>
#include <stdexcept>

#include "policy/tenant_fields.hpp"

namespace exosim::app {

namespace {

using yaml::Context;
using Node = YAML::Node;

std::vector<std::string> strings(const Context& ctx, const Node& node, const std::string& path) {
    yaml::expect_sequence(ctx, node, path);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < node.size(); ++i) out.push_back(yaml::string(ctx, node[i], yaml::item(path, i)));
    return out;
}

policy::IpRange ip_range(const Context& ctx, const Node& node, const std::string& path) {
    const std::string text = yaml::string(ctx, node, path);
    auto range = policy::IpRange::parse(text);
    if (!range) yaml::fail(ctx, node, path, "'" + text + "' is not an IP address or prefix (203.0.113.0/24)");
    return *range;
}

std::string address(const Context& ctx, const Node& node, const std::string& path) {
    std::string a = yaml::string(ctx, node, path);
    if (policy::domain_of(a).empty() || a.front() == '@') yaml::fail(ctx, node, path, "'" + a + "' is not local@domain");
    return a;
}

policy::exo::NodeIdentity node_identity(const Context& ctx, const Node& node, const std::string& path,
                                        policy::exo::NodeIdentity base) {
    yaml::check_keys(ctx, node, path, {"name", "region", "suffix"});
    if (auto n = node["name"]) base.name = yaml::string(ctx, n, yaml::child(path, "name"));
    if (auto n = node["region"]) base.region = yaml::string(ctx, n, yaml::child(path, "region"));
    if (auto n = node["suffix"]) base.suffix = yaml::string(ctx, n, yaml::child(path, "suffix"));
    if (base.name.empty() || base.region.empty()) yaml::fail(ctx, node, path, "name and region must not be empty");
    return base;
}

void load_limits(const Context& ctx, const Node& node, const std::string& path, policy::ThrottleLimits& l) {
    yaml::check_keys(ctx, node, path,
                     {"max_concurrent_sessions", "recipients_per_window", "recipient_window", "messages_per_minute",
                      "lockout_threshold", "lockout_duration"});
    auto count = [&](const char* key, auto& out, std::uint64_t max) {
        if (auto n = node[key]) {
            auto v = yaml::unsigned_integer(ctx, n, yaml::child(path, key), max);
            if (v == 0) yaml::fail(ctx, n, yaml::child(path, key), "must be above 0");
            out = static_cast<std::remove_reference_t<decltype(out)>>(v);
        }
    };
    auto secs = [&](const char* key, std::chrono::seconds& out) {
        if (auto n = node[key]) {
            auto ms = yaml::seconds(ctx, n, yaml::child(path, key));
            if (ms.count() < 1000) yaml::fail(ctx, n, yaml::child(path, key), "must be at least 1 second");
            out = std::chrono::duration_cast<std::chrono::seconds>(ms);
        }
    };
    count("max_concurrent_sessions", l.max_concurrent_sessions, 1000);
    count("recipients_per_window", l.recipients_per_window, 100000000);
    secs("recipient_window", l.recipient_window);
    count("messages_per_minute", l.messages_per_minute, 1000000);
    count("lockout_threshold", l.lockout_threshold, 1000000);
    secs("lockout_duration", l.lockout_duration);
}

void load_settings(const Context& ctx, const Node& node, const std::string& path, policy::TenantSettings& s) {
    if (!node.IsMap()) yaml::fail(ctx, node, path, "expected a mapping");
    for (auto it = node.begin(); it != node.end(); ++it) {
        const std::string key = it->first.IsScalar() ? it->first.Scalar() : std::string{};
        const std::string at = yaml::child(path, key);
        try {
            set_tenant_setting(s, key, yaml::string(ctx, it->second, at));
        } catch (const std::invalid_argument& e) {
            yaml::fail(ctx, it->first, at, e.what());
        }
    }
}

policy::MailboxAccount load_mailbox(const Context& ctx, const Node& node, const std::string& path) {
    yaml::check_keys(ctx, node, path,
                     {"address", "password", "licensed", "smtp_auth", "send_as", "full_access", "locked",
                      "conditional_access_blocked"});
    yaml::require_keys(ctx, node, path, {"address"});
    policy::MailboxAccount m;
    m.address = address(ctx, node["address"], yaml::child(path, "address"));
    for (auto it = node.begin(); it != node.end(); ++it) {
        const std::string key = it->first.Scalar();
        const std::string at = yaml::child(path, key);
        if (key == "address") continue;
        if (key == "send_as" || key == "full_access") {
            auto& list = key == "send_as" ? m.send_as : m.full_access;
            for (std::size_t i = 0; const auto& a : strings(ctx, it->second, at)) {
                (void)address(ctx, it->second[i], yaml::item(at, i));
                list.push_back(a);
                ++i;
            }
            continue;
        }
        try {
            set_mailbox_field(m, key, yaml::string(ctx, it->second, at));
        } catch (const std::invalid_argument& e) {
            yaml::fail(ctx, it->second, at, e.what());
        }
    }
    return m;
}

policy::InboundConnector load_connector(const Context& ctx, const Node& node, const std::string& path) {
    yaml::check_keys(ctx, node, path, {"name", "source_ips", "certificate_domain", "require_tls", "trusted_ca"});
    yaml::require_keys(ctx, node, path, {"name"});
    policy::InboundConnector c;
    c.name = yaml::string(ctx, node["name"], yaml::child(path, "name"));
    if (auto n = node["source_ips"]) {
        const std::string at = yaml::child(path, "source_ips");
        yaml::expect_sequence(ctx, n, at);
        for (std::size_t i = 0; i < n.size(); ++i) c.source_ip_ranges.push_back(ip_range(ctx, n[i], yaml::item(at, i)));
    }
    if (auto n = node["certificate_domain"])
        c.certificate_domain = yaml::string(ctx, n, yaml::child(path, "certificate_domain"));
    if (auto n = node["require_tls"]) c.require_tls = yaml::boolean(ctx, n, yaml::child(path, "require_tls"));
    if (auto n = node["trusted_ca"]) c.trusted_ca = yaml::string(ctx, n, yaml::child(path, "trusted_ca"));
    return c;
}

policy::Tenant load_tenant(const Context& ctx, const Node& node, const std::string& path) {
    yaml::check_keys(ctx, node, path, {"name", "accepted_domains", "mx_host", "settings", "mailboxes", "connectors"});
    yaml::require_keys(ctx, node, path, {"name", "accepted_domains"});
    policy::Tenant t;
    t.name = yaml::string(ctx, node["name"], yaml::child(path, "name"));
    t.accepted_domains = strings(ctx, node["accepted_domains"], yaml::child(path, "accepted_domains"));
    if (auto n = node["mx_host"]) t.mx_host = yaml::string(ctx, n, yaml::child(path, "mx_host"));
    if (auto n = node["settings"]) load_settings(ctx, n, yaml::child(path, "settings"), t.settings);
    if (auto n = node["mailboxes"]) {
        const std::string at = yaml::child(path, "mailboxes");
        yaml::expect_sequence(ctx, n, at);
        for (std::size_t i = 0; i < n.size(); ++i) t.mailboxes.push_back(load_mailbox(ctx, n[i], yaml::item(at, i)));
    }
    if (auto n = node["connectors"]) {
        const std::string at = yaml::child(path, "connectors");
        yaml::expect_sequence(ctx, n, at);
        for (std::size_t i = 0; i < n.size(); ++i) t.connectors.push_back(load_connector(ctx, n[i], yaml::item(at, i)));
    }
    return t;
}

}  // namespace

std::string_view clock_name(ClockMode mode) { return mode == ClockMode::virtual_clock ? "virtual" : "real"; }

std::string_view implicit_tls_name(policy::exo::ImplicitTlsBehaviour b) {
    switch (b) {
        case policy::exo::ImplicitTlsBehaviour::silent: return "silent";
        case policy::exo::ImplicitTlsBehaviour::refuse: return "refuse";
        case policy::exo::ImplicitTlsBehaviour::serve: return "serve";
    }
    return "silent";
}

void load_clock(const Context& ctx, const Node& n, AppConfig& c) {
    c.clock = yaml::choice<ClockMode>(ctx, n, "clock", {{"real", ClockMode::real}, {"virtual", ClockMode::virtual_clock}});
}

void load_exchange(const Context& ctx, const Node& node, AppConfig& c) {
    namespace exo = policy::exo;
    const std::string p = "exchange";
    yaml::check_keys(ctx, node, p,
                     {"auth_tarpit", "bracket_style", "banner_session_id", "mx_banner_session_id", "max_message_size",
                      "legacy_tls_refuse_at_ehlo", "xoauth2_case_sensitive", "thread_limit_stage",
                      "too_many_recipients_reply", "reject_missing_from", "normalize_bare_lf",
                      "mx_max_recipients_per_domain", "mx_reported_transfer_seconds", "implicit_tls", "frontend",
                      "frontend_domain", "mailbox_server", "mx_frontend", "mx_domain", "mx_mailbox_server", "limits"});
    exo::ExoSettings s;  // the section replaces: keys not given take their defaults
    policy::ThrottleLimits limits;
    auto at = [&](const char* key) { return yaml::child(p, key); };
    auto flag = [&](const char* key, bool& out) {
        if (auto n = node[key]) out = yaml::boolean(ctx, n, at(key));
    };
    if (auto n = node["auth_tarpit"]) s.auth_tarpit = yaml::seconds(ctx, n, at("auth_tarpit"));
    if (auto n = node["bracket_style"])
        s.bracket_style = yaml::choice<exo::BracketStyle>(
            ctx, n, at("bracket_style"), {{"current", exo::BracketStyle::current}, {"legacy", exo::BracketStyle::legacy}});
    flag("banner_session_id", s.banner_session_id);
    flag("mx_banner_session_id", s.mx_banner_session_id);
    if (auto n = node["max_message_size"]) {
        s.max_message_size = yaml::unsigned_integer(ctx, n, at("max_message_size"), 1ull << 40);
        if (s.max_message_size == 0) yaml::fail(ctx, n, at("max_message_size"), "must be above 0");
    }
    flag("legacy_tls_refuse_at_ehlo", s.legacy_tls_refuse_at_ehlo);
    flag("xoauth2_case_sensitive", s.xoauth2_case_sensitive);
    if (auto n = node["thread_limit_stage"])
        s.thread_limit_stage = yaml::choice<exo::ThreadLimitStage>(
            ctx, n, at("thread_limit_stage"),
            {{"end_of_data", exo::ThreadLimitStage::end_of_data}, {"mail", exo::ThreadLimitStage::mail}});
    if (auto n = node["too_many_recipients_reply"])
        s.too_many_recipients_reply = yaml::choice<exo::RecipientLimitReply>(
            ctx, n, at("too_many_recipients_reply"),
            {{"per_rcpt_452", exo::RecipientLimitReply::per_rcpt_452}, {"ndr_550", exo::RecipientLimitReply::ndr_550}});
    flag("reject_missing_from", s.reject_missing_from);
    flag("normalize_bare_lf", s.normalize_bare_lf);
    if (auto n = node["mx_max_recipients_per_domain"]) {
        s.mx_max_recipients_per_domain = yaml::unsigned_integer(ctx, n, at("mx_max_recipients_per_domain"), 100000);
        if (s.mx_max_recipients_per_domain == 0) yaml::fail(ctx, n, at("mx_max_recipients_per_domain"), "must be above 0");
    }
    if (auto n = node["mx_reported_transfer_seconds"]) {
        s.mx_reported_transfer_seconds = yaml::number(ctx, n, at("mx_reported_transfer_seconds"));
        if (s.mx_reported_transfer_seconds < 0) yaml::fail(ctx, n, at("mx_reported_transfer_seconds"), "must not be negative");
    }
    if (auto n = node["implicit_tls"])
        s.implicit_tls = yaml::choice<exo::ImplicitTlsBehaviour>(ctx, n, at("implicit_tls"),
                                                                 {{"silent", exo::ImplicitTlsBehaviour::silent},
                                                                  {"refuse", exo::ImplicitTlsBehaviour::refuse},
                                                                  {"serve", exo::ImplicitTlsBehaviour::serve}});
    if (auto n = node["frontend"]) s.frontend = node_identity(ctx, n, at("frontend"), s.frontend);
    if (auto n = node["mailbox_server"]) s.mailbox_server = node_identity(ctx, n, at("mailbox_server"), s.mailbox_server);
    if (auto n = node["mx_frontend"]) s.mx_frontend = node_identity(ctx, n, at("mx_frontend"), s.mx_frontend);
    if (auto n = node["mx_mailbox_server"])
        s.mx_mailbox_server = node_identity(ctx, n, at("mx_mailbox_server"), s.mx_mailbox_server);
    if (auto n = node["frontend_domain"]) s.frontend_domain = yaml::string(ctx, n, at("frontend_domain"));
    if (auto n = node["mx_domain"]) s.mx_domain = yaml::string(ctx, n, at("mx_domain"));
    if (auto n = node["limits"]) load_limits(ctx, n, at("limits"), limits);
    c.exchange = std::move(s);
    c.throttle = limits;
}

void load_tenants(const Context& ctx, const Node& node, AppConfig& c) {
    yaml::expect_sequence(ctx, node, "tenants");
    std::vector<policy::Tenant> tenants;
    for (std::size_t i = 0; i < node.size(); ++i) tenants.push_back(load_tenant(ctx, node[i], yaml::item("tenants", i)));
    // Cross-checks (a domain in two tenants, a mailbox outside its tenant's domains, ...).
    policy::Directory check;
    check.tenants = tenants;
    try {
        check.validate();
    } catch (const std::invalid_argument& e) {
        yaml::fail(ctx, node, "tenants", e.what());
    }
    c.directory.tenants = std::move(tenants);
}

void load_blocked_ips(const Context& ctx, const Node& node, AppConfig& c) {
    yaml::expect_sequence(ctx, node, "blocked_ips");
    c.directory.blocked_ips.clear();
    for (std::size_t i = 0; i < node.size(); ++i)
        c.directory.blocked_ips.push_back(ip_range(ctx, node[i], yaml::item("blocked_ips", i)));
}

void load_spf_records(const Context& ctx, const Node& node, AppConfig& c) {
    if (!node.IsMap()) yaml::fail(ctx, node, "spf_records", "expected a mapping of domain: \"v=spf1 ...\"");
    c.directory.spf_records.clear();
    for (auto it = node.begin(); it != node.end(); ++it) {
        const std::string domain = it->first.IsScalar() ? it->first.Scalar() : std::string{};
        const std::string at = yaml::child("spf_records", domain);
        std::string record = yaml::string(ctx, it->second, at);
        if (!record.starts_with("v=spf1")) yaml::fail(ctx, it->second, at, "an SPF record starts with v=spf1");
        c.directory.spf_records[policy::lower(domain)] = std::move(record);
    }
}

}  // namespace exosim::app
