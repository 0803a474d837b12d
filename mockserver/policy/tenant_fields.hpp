#pragma once
// Tenant settings and mailbox fields by name: the one spelling shared by the YAML configuration,
// the control API's tenant patch and scenario `tenant:` overrides, so a key means the same thing
// everywhere. Values are text ("true", "500", "disabled"); bad names and values throw
// std::invalid_argument with a message naming the key and what is allowed.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/tenant.hpp"

namespace exosim::policy {

// smtp_auth_disabled, security_defaults, basic_auth_allowed, basic_auth_retired, reject_direct_send,
// allow_legacy_tls, recipients_per_message, reply_style, external_relay_reply.
const std::vector<std::string_view>& tenant_setting_keys();
void set_tenant_setting(TenantSettings& settings, std::string_view key, std::string_view value);
// The value as set_tenant_setting reads it back.
std::string tenant_setting_text(const TenantSettings& settings, std::string_view key);

// password, licensed, smtp_auth, send_as (comma-separated), locked, conditional_access_blocked.
const std::vector<std::string_view>& mailbox_field_keys();
void set_mailbox_field(MailboxAccount& mailbox, std::string_view key, std::string_view value);

// "true"/"false" (also yes/no, on/off, 1/0, PowerShell's $true/$false); nullopt otherwise.
std::optional<bool> parse_bool(std::string_view text);

std::string_view smtp_auth_name(SmtpAuthSetting s);  // inherit | enabled | disabled
std::optional<SmtpAuthSetting> parse_smtp_auth(std::string_view text);
std::string_view reply_style_name(SendAsReplyStyle s);  // current | legacy
std::optional<SendAsReplyStyle> parse_reply_style(std::string_view text);
std::string_view basic_auth_off_reply_name(BasicAuthOffReply r);  // basic_auth_disabled | not_supported
std::optional<BasicAuthOffReply> parse_basic_auth_off_reply(std::string_view text);
// tenant_attribution | relay_access_denied | unable_to_relay
std::string_view external_relay_reply_name(ExternalRelayReply r);
std::optional<ExternalRelayReply> parse_external_relay_reply(std::string_view text);

}  // namespace exosim::policy
