#pragma once
// The tenant model: plain immutable data that configuration loading (YAML, control API) fills in.
// Lookups are case-insensitive on addresses and domains. Directory::validate() throws
// std::invalid_argument on a configuration that cannot be served (an error before serving).
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ascii.hpp"

namespace exosim::policy {

// Per-mailbox SmtpClientAuthenticationDisabled: $false / $true / $null (reference §4, tri-state).
enum class SmtpAuthSetting { inherit, enabled, disabled };
// Wording of the send-as refusal: 554 5.2.252 (current) or 550 5.7.60 (older); reference §6.
enum class SendAsReplyStyle { current, legacy };
// Reply to direct send towards an external recipient (reference §7 / §13.7, unconfirmed).
enum class ExternalRelayReply {
    tenant_attribution,   // 550 5.7.64 TenantAttribution; Relay Access Denied (default, INFER most likely)
    relay_access_denied,  // 550 5.4.1 Relay Access Denied
    unable_to_relay,      // 550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain
};

// An IPv4 or IPv6 prefix ("203.0.113.0/24", "2001:db8::/32", or a single address).
struct IpRange {
    std::array<std::uint8_t, 16> bytes{};
    bool v6 = false;
    unsigned prefix = 0;

    // nullopt when `text` is not an address or prefix.
    static std::optional<IpRange> parse(std::string_view text);
    bool contains(std::string_view address) const;
    std::string str() const;
};

// The reply LOGIN/PLAIN get once Basic is off by default (entra-id-oauth.md §1: not published;
// exchange-online-smtp.md §9): the wording seen on the wire where Basic is blocked, or the
// documented final-removal text.
enum class BasicAuthOffReply {
    basic_auth_disabled,  // 535 5.7.139 ... basic authentication is disabled. [WIRE] (default)
    not_supported,        // 550 5.7.30 Basic authentication is not supported for Client Submission. [DOC]
};

struct TenantSettings {
    bool smtp_auth_disabled = false;   // Set-TransportConfig -SmtpClientAuthenticationDisabled
    bool security_defaults = false;    // Entra security defaults (blocks basic SMTP AUTH)
    bool basic_auth_allowed = true;    // false: an authentication policy blocks Basic for SMTP
    bool basic_auth_retired = false;   // rehearse MC786329: LOGIN gets 550 5.7.30, XOAUTH2 works
    // MC786329 (27 Jan 2026, exchange-online-smtp.md §9): "End of December 2026: SMTP AUTH Basic
    // Authentication will be disabled by default for existing tenants." LOGIN/PLAIN get
    // basic_auth_off_reply; XOAUTH2 works.
    bool basic_auth_default_off = false;
    BasicAuthOffReply basic_auth_off_reply = BasicAuthOffReply::basic_auth_disabled;
    bool reject_direct_send = false;   // Set-OrganizationConfig -RejectDirectSend
    bool allow_legacy_tls = false;     // Set-TransportConfig -AllowLegacyTLSClients
    std::size_t recipients_per_message = 500;  // 1..1000 (reference §11)
    SendAsReplyStyle reply_style = SendAsReplyStyle::current;
    ExternalRelayReply external_relay_reply = ExternalRelayReply::tenant_attribution;
};

struct MailboxAccount {
    std::string address;
    std::string password;          // empty: no basic credentials (OAuth only)
    bool licensed = true;
    SmtpAuthSetting smtp_auth = SmtpAuthSetting::inherit;
    std::vector<std::string> send_as;  // addresses this mailbox may send as
    // Mailboxes this mailbox's user has FullAccess on (Add-MailboxPermission; a shared mailbox):
    // a delegated XOAUTH2 token of this user may name them in user= (issue 14).
    std::vector<std::string> full_access;
    bool locked = false;               // account locked (smart lockout / admin)
    bool conditional_access_blocked = false;
};

struct InboundConnector {
    std::string name;
    std::vector<IpRange> source_ip_ranges;
    std::string certificate_domain;  // must be an accepted domain of the tenant; empty: none
    // PEM file of a CA (a device vendor's) whose client certificates the MX also verifies, as
    // Exchange accepts any CA it trusts; empty: exosim's CA only. Loaded by the transport.
    std::string trusted_ca;
    bool require_tls = false;
};

struct Tenant {
    std::string name;
    std::vector<std::string> accepted_domains;
    std::string mx_host;
    TenantSettings settings;
    std::vector<MailboxAccount> mailboxes;
    std::vector<InboundConnector> connectors;

    bool accepts_domain(std::string_view domain) const;
    const MailboxAccount* find_mailbox(std::string_view address) const;
};

// Loopback stand-ins for public addresses, so connector and blocklist scenarios run on one host.
struct AddressMap {
    std::map<std::string, std::string> entries;  // real peer address -> seen address
    std::string default_address = "192.0.2.1";   // for unmapped loopback peers
    bool map_non_loopback = false;  // true: every unmapped peer is seen as default_address

    std::string seen(std::string_view client_address) const;
};

struct Directory {
    std::vector<Tenant> tenants;
    std::vector<IpRange> blocked_ips;
    AddressMap address_map;
    // SPF records by domain ("v=spf1 ip4:203.0.113.10 -all"); global because MAIL FROM domains are
    // often external. Supported: ip4, ip6, all with + - ~ ? qualifiers; other mechanisms never match.
    std::map<std::string, std::string> spf_records;

    const Tenant* tenant_for_domain(std::string_view domain) const;
    const Tenant* tenant_for_mx_host(std::string_view host) const;
    // The tenant owning `address` by its domain, whether or not the mailbox exists.
    const Tenant* tenant_for_address(std::string_view address) const;
    const MailboxAccount* find_mailbox(std::string_view address) const;
    MailboxAccount* find_mailbox(std::string_view address);
    // The tenant named `name_or_domain` or accepting it as a domain (the control API's and the
    // scenario overrides' way to name a tenant).
    const Tenant* find_tenant(std::string_view name_or_domain) const;
    Tenant* find_tenant(std::string_view name_or_domain);
    bool is_blocked(std::string_view seen_address) const;
    const std::string* spf_record(std::string_view domain) const;

    // Throws std::invalid_argument naming the first problem.
    void validate() const;
};

// The embedded default of issue 3 (documented in the README).
Directory default_directory();

// Addresses and domains compare ASCII-lower-cased.
using core::ascii::lower;
// "local@domain" -> "domain" (empty when there is no '@').
std::string_view domain_of(std::string_view address);

}  // namespace exosim::policy
