#include "policy/tenant_fields.hpp"

#include <charconv>
#include <stdexcept>

namespace exosim::policy {

namespace {

std::string join(const std::vector<std::string_view>& keys) {
    std::string out;
    for (std::string_view k : keys) out += (out.empty() ? "" : ", ") + std::string(k);
    return out;
}

[[noreturn]] void bad_value(std::string_view key, std::string_view value, std::string_view expected) {
    throw std::invalid_argument(std::string(key) + ": '" + std::string(value) + "' is not " + std::string(expected));
}

bool bool_value(std::string_view key, std::string_view value) {
    if (auto b = parse_bool(value)) return *b;
    bad_value(key, value, "true or false");
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

}  // namespace

std::optional<bool> parse_bool(std::string_view text) {
    const std::string t = lower(trim(text));
    if (t == "true" || t == "yes" || t == "on" || t == "1" || t == "$true") return true;
    if (t == "false" || t == "no" || t == "off" || t == "0" || t == "$false") return false;
    return std::nullopt;
}

std::string_view smtp_auth_name(SmtpAuthSetting s) {
    switch (s) {
        case SmtpAuthSetting::inherit: return "inherit";
        case SmtpAuthSetting::enabled: return "enabled";
        case SmtpAuthSetting::disabled: return "disabled";
    }
    return "inherit";
}

std::optional<SmtpAuthSetting> parse_smtp_auth(std::string_view text) {
    const std::string t = lower(trim(text));
    if (t == "inherit" || t == "$null" || t == "null") return SmtpAuthSetting::inherit;
    if (t == "enabled") return SmtpAuthSetting::enabled;
    if (t == "disabled") return SmtpAuthSetting::disabled;
    return std::nullopt;
}

std::string_view reply_style_name(SendAsReplyStyle s) {
    return s == SendAsReplyStyle::legacy ? "legacy" : "current";
}

std::optional<SendAsReplyStyle> parse_reply_style(std::string_view text) {
    const std::string t = lower(trim(text));
    if (t == "current") return SendAsReplyStyle::current;
    if (t == "legacy") return SendAsReplyStyle::legacy;
    return std::nullopt;
}

std::string_view external_relay_reply_name(ExternalRelayReply r) {
    switch (r) {
        case ExternalRelayReply::tenant_attribution: return "tenant_attribution";
        case ExternalRelayReply::relay_access_denied: return "relay_access_denied";
        case ExternalRelayReply::unable_to_relay: return "unable_to_relay";
    }
    return "tenant_attribution";
}

std::optional<ExternalRelayReply> parse_external_relay_reply(std::string_view text) {
    const std::string t = lower(trim(text));
    if (t == "tenant_attribution") return ExternalRelayReply::tenant_attribution;
    if (t == "relay_access_denied") return ExternalRelayReply::relay_access_denied;
    if (t == "unable_to_relay") return ExternalRelayReply::unable_to_relay;
    return std::nullopt;
}

const std::vector<std::string_view>& tenant_setting_keys() {
    static const std::vector<std::string_view> keys = {
        "smtp_auth_disabled", "security_defaults",      "basic_auth_allowed", "basic_auth_retired",
        "reject_direct_send", "allow_legacy_tls",       "recipients_per_message", "reply_style",
        "external_relay_reply"};
    return keys;
}

void set_tenant_setting(TenantSettings& s, std::string_view key, std::string_view value) {
    if (key == "smtp_auth_disabled") s.smtp_auth_disabled = bool_value(key, value);
    else if (key == "security_defaults") s.security_defaults = bool_value(key, value);
    else if (key == "basic_auth_allowed") s.basic_auth_allowed = bool_value(key, value);
    else if (key == "basic_auth_retired") s.basic_auth_retired = bool_value(key, value);
    else if (key == "reject_direct_send") s.reject_direct_send = bool_value(key, value);
    else if (key == "allow_legacy_tls") s.allow_legacy_tls = bool_value(key, value);
    else if (key == "recipients_per_message") {
        // Reference §11: RecipientLimits is 1..1000 per mailbox.
        const std::string_view v = trim(value);
        std::size_t n = 0;
        auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
        if (ec != std::errc{} || end != v.data() + v.size() || n < 1 || n > 1000)
            bad_value(key, value, "a number from 1 to 1000");
        s.recipients_per_message = n;
    } else if (key == "reply_style") {
        auto r = parse_reply_style(value);
        if (!r) bad_value(key, value, "current or legacy");
        s.reply_style = *r;
    } else if (key == "external_relay_reply") {
        auto r = parse_external_relay_reply(value);
        if (!r) bad_value(key, value, "tenant_attribution, relay_access_denied or unable_to_relay");
        s.external_relay_reply = *r;
    } else {
        throw std::invalid_argument("unknown tenant setting '" + std::string(key) +
                                    "' (known: " + join(tenant_setting_keys()) + ")");
    }
}

std::string tenant_setting_text(const TenantSettings& s, std::string_view key) {
    auto b = [](bool v) { return std::string(v ? "true" : "false"); };
    if (key == "smtp_auth_disabled") return b(s.smtp_auth_disabled);
    if (key == "security_defaults") return b(s.security_defaults);
    if (key == "basic_auth_allowed") return b(s.basic_auth_allowed);
    if (key == "basic_auth_retired") return b(s.basic_auth_retired);
    if (key == "reject_direct_send") return b(s.reject_direct_send);
    if (key == "allow_legacy_tls") return b(s.allow_legacy_tls);
    if (key == "recipients_per_message") return std::to_string(s.recipients_per_message);
    if (key == "reply_style") return std::string(reply_style_name(s.reply_style));
    if (key == "external_relay_reply") return std::string(external_relay_reply_name(s.external_relay_reply));
    throw std::invalid_argument("unknown tenant setting '" + std::string(key) + "'");
}

const std::vector<std::string_view>& mailbox_field_keys() {
    static const std::vector<std::string_view> keys = {"password", "licensed", "smtp_auth", "send_as", "locked",
                                                       "conditional_access_blocked"};
    return keys;
}

void set_mailbox_field(MailboxAccount& m, std::string_view key, std::string_view value) {
    if (key == "password") m.password = std::string(value);
    else if (key == "licensed") m.licensed = bool_value(key, value);
    else if (key == "locked") m.locked = bool_value(key, value);
    else if (key == "conditional_access_blocked") m.conditional_access_blocked = bool_value(key, value);
    else if (key == "smtp_auth") {
        auto a = parse_smtp_auth(value);
        if (!a) bad_value(key, value, "inherit, enabled or disabled");
        m.smtp_auth = *a;
    } else if (key == "send_as") {
        m.send_as.clear();
        std::string_view rest = value;
        while (!rest.empty()) {
            const auto comma = rest.find(',');
            const std::string_view item = trim(rest.substr(0, comma));
            if (!item.empty()) {
                if (domain_of(item).empty()) bad_value(key, item, "an address (local@domain)");
                m.send_as.emplace_back(item);
            }
            rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        }
    } else {
        throw std::invalid_argument("unknown mailbox field '" + std::string(key) +
                                    "' (known: " + join(mailbox_field_keys()) + ")");
    }
}

}  // namespace exosim::policy
