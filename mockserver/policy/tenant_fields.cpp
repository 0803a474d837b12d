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

// The keys of a field table, in table order.
template <class Field>
std::vector<std::string_view> keys_of(const std::vector<Field>& fields) {
    std::vector<std::string_view> out;
    for (const Field& f : fields) out.push_back(f.key);
    return out;
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

std::string_view basic_auth_off_reply_name(BasicAuthOffReply r) {
    return r == BasicAuthOffReply::not_supported ? "not_supported" : "basic_auth_disabled";
}

std::optional<BasicAuthOffReply> parse_basic_auth_off_reply(std::string_view text) {
    const std::string t = lower(trim(text));
    if (t == "basic_auth_disabled") return BasicAuthOffReply::basic_auth_disabled;
    if (t == "not_supported") return BasicAuthOffReply::not_supported;
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

namespace {

// One row per tenant setting: its key and how it reads and writes the value as text.
struct TenantSettingField {
    std::string_view key;
    std::string (*get)(const TenantSettings&);
    void (*set)(TenantSettings&, std::string_view key, std::string_view value);
};

template <bool TenantSettings::*member>
constexpr TenantSettingField flag(std::string_view key) {
    return {key, [](const TenantSettings& s) { return std::string(s.*member ? "true" : "false"); },
            [](TenantSettings& s, std::string_view k, std::string_view v) { s.*member = bool_value(k, v); }};
}

// Reference §11: RecipientLimits is 1..1000 per mailbox.
void set_recipients_per_message(TenantSettings& s, std::string_view key, std::string_view value) {
    const std::string_view v = trim(value);
    std::size_t n = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc{} || end != v.data() + v.size() || n < 1 || n > 1000)
        bad_value(key, value, "a number from 1 to 1000");
    s.recipients_per_message = n;
}

void set_reply_style(TenantSettings& s, std::string_view key, std::string_view value) {
    auto r = parse_reply_style(value);
    if (!r) bad_value(key, value, "current or legacy");
    s.reply_style = *r;
}

void set_basic_auth_off_reply(TenantSettings& s, std::string_view key, std::string_view value) {
    auto r = parse_basic_auth_off_reply(value);
    if (!r) bad_value(key, value, "basic_auth_disabled or not_supported");
    s.basic_auth_off_reply = *r;
}

void set_external_relay_reply(TenantSettings& s, std::string_view key, std::string_view value) {
    auto r = parse_external_relay_reply(value);
    if (!r) bad_value(key, value, "tenant_attribution, relay_access_denied or unable_to_relay");
    s.external_relay_reply = *r;
}

const std::vector<TenantSettingField>& tenant_setting_fields() {
    static const std::vector<TenantSettingField> fields = {
        flag<&TenantSettings::smtp_auth_disabled>("smtp_auth_disabled"),
        flag<&TenantSettings::security_defaults>("security_defaults"),
        flag<&TenantSettings::basic_auth_allowed>("basic_auth_allowed"),
        flag<&TenantSettings::basic_auth_retired>("basic_auth_retired"),
        flag<&TenantSettings::basic_auth_default_off>("basic_auth_default_off"),
        {"basic_auth_off_reply", [](const TenantSettings& s) { return std::string(basic_auth_off_reply_name(s.basic_auth_off_reply)); },
         set_basic_auth_off_reply},
        flag<&TenantSettings::reject_direct_send>("reject_direct_send"),
        flag<&TenantSettings::allow_legacy_tls>("allow_legacy_tls"),
        {"recipients_per_message", [](const TenantSettings& s) { return std::to_string(s.recipients_per_message); },
         set_recipients_per_message},
        {"reply_style", [](const TenantSettings& s) { return std::string(reply_style_name(s.reply_style)); },
         set_reply_style},
        {"external_relay_reply",
         [](const TenantSettings& s) { return std::string(external_relay_reply_name(s.external_relay_reply)); },
         set_external_relay_reply},
    };
    return fields;
}

const TenantSettingField* find_tenant_setting(std::string_view key) {
    for (const TenantSettingField& f : tenant_setting_fields()) {
        if (f.key == key) return &f;
    }
    return nullptr;
}

}  // namespace

const std::vector<std::string_view>& tenant_setting_keys() {
    static const std::vector<std::string_view> keys = keys_of(tenant_setting_fields());
    return keys;
}

void set_tenant_setting(TenantSettings& s, std::string_view key, std::string_view value) {
    const TenantSettingField* f = find_tenant_setting(key);
    if (f == nullptr) {
        throw std::invalid_argument("unknown tenant setting '" + std::string(key) +
                                    "' (known: " + join(tenant_setting_keys()) + ")");
    }
    f->set(s, key, value);
}

std::string tenant_setting_text(const TenantSettings& s, std::string_view key) {
    const TenantSettingField* f = find_tenant_setting(key);
    if (f == nullptr) throw std::invalid_argument("unknown tenant setting '" + std::string(key) + "'");
    return f->get(s);
}

namespace {

// One row per mailbox field: its key and how it writes the value from text.
struct MailboxField {
    std::string_view key;
    void (*set)(MailboxAccount&, std::string_view key, std::string_view value);
};

template <bool MailboxAccount::*member>
constexpr MailboxField mailbox_flag(std::string_view key) {
    return {key, [](MailboxAccount& m, std::string_view k, std::string_view v) { m.*member = bool_value(k, v); }};
}

void set_smtp_auth(MailboxAccount& m, std::string_view key, std::string_view value) {
    auto a = parse_smtp_auth(value);
    if (!a) bad_value(key, value, "inherit, enabled or disabled");
    m.smtp_auth = *a;
}

// Comma-separated addresses; empty items are skipped.
void set_send_as(MailboxAccount& m, std::string_view key, std::string_view value) {
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
}

const std::vector<MailboxField>& mailbox_fields() {
    static const std::vector<MailboxField> fields = {
        {"password", [](MailboxAccount& m, std::string_view, std::string_view v) { m.password = std::string(v); }},
        mailbox_flag<&MailboxAccount::licensed>("licensed"),
        {"smtp_auth", set_smtp_auth},
        {"send_as", set_send_as},
        mailbox_flag<&MailboxAccount::locked>("locked"),
        mailbox_flag<&MailboxAccount::conditional_access_blocked>("conditional_access_blocked"),
    };
    return fields;
}

}  // namespace

const std::vector<std::string_view>& mailbox_field_keys() {
    static const std::vector<std::string_view> keys = keys_of(mailbox_fields());
    return keys;
}

void set_mailbox_field(MailboxAccount& m, std::string_view key, std::string_view value) {
    for (const MailboxField& f : mailbox_fields()) {
        if (f.key == key) return f.set(m, key, value);
    }
    throw std::invalid_argument("unknown mailbox field '" + std::string(key) + "' (known: " + join(mailbox_field_keys()) +
                                ")");
}

}  // namespace exosim::policy
