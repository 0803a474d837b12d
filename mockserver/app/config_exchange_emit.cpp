// The Exchange Online sections back to YAML, in the schema config_exchange.cpp reads.
#include <sstream>

#include "app/config_exchange.hpp"
#include "policy/tenant_fields.hpp"

namespace exosim::app {

namespace {

std::string seconds_text(double s) {
    std::ostringstream out;
    out << s;
    return out.str();
}

void emit_node(YAML::Emitter& out, const char* key, const policy::exo::NodeIdentity& n) {
    out << YAML::Key << key << YAML::Value << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "name" << YAML::Value << n.name;
    out << YAML::Key << "region" << YAML::Value << n.region;
    out << YAML::Key << "suffix" << YAML::Value << n.suffix;
    out << YAML::EndMap;
}

void emit_exchange(YAML::Emitter& out, const AppConfig& c) {
    namespace exo = policy::exo;
    const exo::ExoSettings& s = c.exchange;
    out << YAML::Key << "exchange" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "auth_tarpit" << YAML::Value << seconds_text(s.auth_tarpit.count() / 1000.0);
    out << YAML::Key << "bracket_style" << YAML::Value
        << (s.bracket_style == exo::BracketStyle::legacy ? "legacy" : "current");
    out << YAML::Key << "banner_session_id" << YAML::Value << s.banner_session_id;
    out << YAML::Key << "mx_banner_session_id" << YAML::Value << s.mx_banner_session_id;
    out << YAML::Key << "max_message_size" << YAML::Value << s.max_message_size;
    out << YAML::Key << "legacy_tls_refuse_at_ehlo" << YAML::Value << s.legacy_tls_refuse_at_ehlo;
    out << YAML::Key << "xoauth2_case_sensitive" << YAML::Value << s.xoauth2_case_sensitive;
    out << YAML::Key << "thread_limit_stage" << YAML::Value
        << (s.thread_limit_stage == exo::ThreadLimitStage::mail ? "mail" : "end_of_data");
    out << YAML::Key << "too_many_recipients_reply" << YAML::Value
        << (s.too_many_recipients_reply == exo::RecipientLimitReply::ndr_550 ? "ndr_550" : "per_rcpt_452");
    out << YAML::Key << "reject_missing_from" << YAML::Value << s.reject_missing_from;
    out << YAML::Key << "normalize_bare_lf" << YAML::Value << s.normalize_bare_lf;
    out << YAML::Key << "mx_max_recipients_per_domain" << YAML::Value << s.mx_max_recipients_per_domain;
    out << YAML::Key << "mx_reported_transfer_seconds" << YAML::Value << seconds_text(s.mx_reported_transfer_seconds);
    out << YAML::Key << "implicit_tls" << YAML::Value << std::string(implicit_tls_name(s.implicit_tls));
    emit_node(out, "frontend", s.frontend);
    out << YAML::Key << "frontend_domain" << YAML::Value << s.frontend_domain;
    emit_node(out, "mailbox_server", s.mailbox_server);
    emit_node(out, "mx_frontend", s.mx_frontend);
    out << YAML::Key << "mx_domain" << YAML::Value << s.mx_domain;
    emit_node(out, "mx_mailbox_server", s.mx_mailbox_server);
    const policy::ThrottleLimits& l = c.throttle;
    out << YAML::Key << "limits" << YAML::Value << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "max_concurrent_sessions" << YAML::Value << l.max_concurrent_sessions;
    out << YAML::Key << "recipients_per_window" << YAML::Value << l.recipients_per_window;
    out << YAML::Key << "recipient_window" << YAML::Value << l.recipient_window.count();
    out << YAML::Key << "messages_per_minute" << YAML::Value << l.messages_per_minute;
    out << YAML::Key << "lockout_threshold" << YAML::Value << l.lockout_threshold;
    out << YAML::Key << "lockout_duration" << YAML::Value << l.lockout_duration.count();
    out << YAML::EndMap;
    out << YAML::EndMap;
}

void emit_mailbox(YAML::Emitter& out, const policy::MailboxAccount& m) {
    out << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "address" << YAML::Value << m.address;
    if (!m.password.empty()) out << YAML::Key << "password" << YAML::Value << YAML::DoubleQuoted << m.password;
    out << YAML::Key << "licensed" << YAML::Value << m.licensed;
    out << YAML::Key << "smtp_auth" << YAML::Value << std::string(policy::smtp_auth_name(m.smtp_auth));
    if (!m.send_as.empty()) {
        out << YAML::Key << "send_as" << YAML::Value << YAML::Flow << YAML::BeginSeq;
        for (const auto& a : m.send_as) out << a;
        out << YAML::EndSeq;
    }
    if (!m.full_access.empty()) {
        out << YAML::Key << "full_access" << YAML::Value << YAML::Flow << YAML::BeginSeq;
        for (const auto& a : m.full_access) out << a;
        out << YAML::EndSeq;
    }
    if (m.locked) out << YAML::Key << "locked" << YAML::Value << true;
    if (m.conditional_access_blocked) out << YAML::Key << "conditional_access_blocked" << YAML::Value << true;
    out << YAML::EndMap;
}

void emit_tenant(YAML::Emitter& out, const policy::Tenant& t) {
    out << YAML::BeginMap;
    out << YAML::Key << "name" << YAML::Value << t.name;
    out << YAML::Key << "accepted_domains" << YAML::Value << YAML::Flow << t.accepted_domains;
    if (!t.mx_host.empty()) out << YAML::Key << "mx_host" << YAML::Value << t.mx_host;
    out << YAML::Key << "settings" << YAML::Value << YAML::BeginMap;
    for (std::string_view key : policy::tenant_setting_keys()) {
        const std::string v = policy::tenant_setting_text(t.settings, key);
        out << YAML::Key << std::string(key) << YAML::Value;
        if (v == "true" || v == "false") out << (v == "true");
        else out << v;
    }
    out << YAML::EndMap;
    out << YAML::Key << "mailboxes" << YAML::Value << YAML::BeginSeq;
    for (const auto& m : t.mailboxes) emit_mailbox(out, m);
    out << YAML::EndSeq;
    out << YAML::Key << "connectors" << YAML::Value << YAML::BeginSeq;
    for (const auto& c : t.connectors) {
        out << YAML::Flow << YAML::BeginMap;
        out << YAML::Key << "name" << YAML::Value << c.name;
        if (!c.source_ip_ranges.empty()) {
            out << YAML::Key << "source_ips" << YAML::Value << YAML::Flow << YAML::BeginSeq;
            for (const auto& r : c.source_ip_ranges) out << r.str();
            out << YAML::EndSeq;
        }
        if (!c.certificate_domain.empty()) out << YAML::Key << "certificate_domain" << YAML::Value << c.certificate_domain;
        if (!c.trusted_ca.empty()) out << YAML::Key << "trusted_ca" << YAML::Value << c.trusted_ca;
        out << YAML::Key << "require_tls" << YAML::Value << c.require_tls;
        out << YAML::EndMap;
    }
    out << YAML::EndSeq;
    out << YAML::EndMap;
}

}  // namespace

void emit_exchange_sections(YAML::Emitter& out, const AppConfig& c) {
    out << YAML::Key << "clock" << YAML::Value << std::string(clock_name(c.clock));
    emit_exchange(out, c);
    out << YAML::Key << "tenants" << YAML::Value << YAML::BeginSeq;
    for (const auto& t : c.directory.tenants) emit_tenant(out, t);
    out << YAML::EndSeq;
    out << YAML::Key << "blocked_ips" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const auto& r : c.directory.blocked_ips) out << r.str();
    out << YAML::EndSeq;
    out << YAML::Key << "spf_records" << YAML::Value << YAML::BeginMap;
    for (const auto& [domain, record] : c.directory.spf_records)
        out << YAML::Key << domain << YAML::Value << YAML::DoubleQuoted << record;
    out << YAML::EndMap;
}

}  // namespace exosim::app
