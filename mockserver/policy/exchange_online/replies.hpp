#pragma once
// THE catalogue of Exchange Online reply texts. Every function cites its row in
// docs/reference/exchange-online-smtp.md (§ and confidence tag). Texts are produced here and
// nowhere else; `bracket` arguments come from diagnostic_bracket() (one place builds the trailer).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/reply.hpp"

namespace exosim::policy::exo {

using TimePoint = std::chrono::system_clock::time_point;

// A server node as Exchange names it (§0): "SY5P282CA0097" in region "AUSP282".
struct NodeIdentity {
    std::string name;
    std::string region;
    std::string suffix = "PROD.OUTLOOK.COM";
    // "<NODE>.<REGION>.PROD.OUTLOOK.COM"
    std::string fqdn() const;
};

enum class BracketStyle {
    current,  // [<fqdn> <ISO-8601 ms>Z <session id>] since ~2023 [WIRE]
    legacy,   // [<fqdn>] before ~2023 [WIRE]
};

// §0 trailing diagnostic bracket [WIRE]:
// "[BMXPR01CA0083.INDPRD01.PROD.OUTLOOK.COM 2025-04-26T18:06:35.781Z 08DD842467C8274D]".
std::string diagnostic_bracket(const NodeIdentity& node, TimePoint at, std::string_view session_id,
                               BracketStyle style = BracketStyle::current);
// "Sun, 23 Nov 2025 11:12:20 +0000": RFC 5322-like, day without leading zero, UTC (§2 [WIRE]).
std::string banner_date(TimePoint at);
// "2025-04-26T18:06:35.781Z" (§0 [WIRE]).
std::string iso8601_ms(TimePoint at);

namespace replies {

// ---- Connection, EHLO, TLS ----------------------------------------------------------------------
// §2 [WIRE]: "220 SY5P282CA0097.outlook.office365.com Microsoft ESMTP MAIL Service ready at
// Sun, 23 Nov 2025 11:12:20 +0000 [08DE2A6028D26C22]"; without "[id]" before mid-2024 [WIRE].
core::Reply banner(std::string_view host, TimePoint at, std::optional<std::string_view> session_id);
// §3 [WIRE]: "SY5P282CA0097.outlook.office365.com Hello [172.105.184.101]" (no EHLO-name echo,
// IPv6 without "IPv6:").
std::string hello_line(std::string_view host, std::string_view seen_address);
// §3 [WIRE]: the EHLO keyword list; STARTTLS only before TLS, AUTH LOGIN XOAUTH2 only after TLS on
// submission, never on the MX. SIZE 157286400 [WIRE].
std::vector<std::string> ehlo_keywords(std::uint64_t size_limit, bool offer_starttls, bool offer_auth);
// §3 [WIRE]: "220 2.0.0 SMTP server ready".
core::Reply starttls_ready();
// §4 [WIRE] zehm/sendEmail#1: TLS 1.0/1.1 session on smtp.office365.com.
core::Reply legacy_tls_refused(std::string_view bracket);
// §3 [WIRE]: "503 5.5.2 Send hello first [..]" (MAIL after STARTTLS without a new EHLO).
core::Reply send_hello_first(std::string_view bracket);
// §3 [WIRE]: "501 5.5.4 Invalid domain name [..]" for EHLO/HELO.
core::Reply invalid_domain_name(std::string_view bracket);
// §3 [WIRE-partial]: "500 5.3.3 Unrecognized command 'Length: 2' [..]".
core::Reply unrecognized_command(std::string_view command, std::string_view bracket);
// §3 [WIRE-partial] wording, INFER without the quoted command: the engine's unknown verb and
// cross-protocol (HTTP) lines get "500 5.3.3 Unrecognized command [..]".
core::Reply unrecognized_command(std::string_view bracket);

// ---- AUTH ---------------------------------------------------------------------------------------
// §4 [WIRE]: "235 2.7.0 Authentication successful".
core::Reply auth_success();
// §4 [WIRE]: PLAIN, or any AUTH before TLS: "504 5.7.4 Unrecognized authentication type [..]".
core::Reply unrecognized_auth_type(std::string_view bracket);
// §4 table [WIRE]: SmtpClientAuthenticationDisabled on the tenant (also for XOAUTH2, §10).
core::Reply auth_disabled_tenant(std::string_view bracket);
// §4 table [3P + INFER suffix/bracket, §13.8]: disabled on the mailbox.
core::Reply auth_disabled_mailbox(std::string_view bracket);
// §4 table [WIRE]: an authentication policy blocks Basic for SMTP.
core::Reply basic_auth_disabled(std::string_view bracket);
// §4 table [WIRE]: wrong password / unknown user.
core::Reply credentials_incorrect(std::string_view bracket);
// §4 table [WIRE-partial]: Conditional Access or MFA.
core::Reply conditional_access(std::string_view bracket);
// §4 table [WIRE-partial]: security defaults on. The log ends at "administrator"; the period and
// bracket are INFER by analogy with the other 5.7.139 rows.
core::Reply security_defaults(std::string_view bracket);
// §4 table [WIRE-partial]: smart lockout after repeated failures.
core::Reply account_locked(std::string_view bracket);
// §4/§10 [WIRE]: every XOAUTH2 token failure: "535 5.7.3 Authentication unsuccessful [..]".
core::Reply oauth_failed(std::string_view bracket);
// §9 [DOC, UNCONFIRMED on the wire §13.9]: basic auth retired. The bracket is INFER.
core::Reply basic_auth_retired(std::string_view bracket);
// The 535 line without its bracket, as embedded in a later 530 (§4 "MAIL FROM after a failed AUTH").
std::string embeddable(const core::Reply& auth_failure);
// A one-line reply text without its trailing " [...]" diagnostic bracket.
std::string without_bracket(std::string_view one_line);

// ---- Envelope and data --------------------------------------------------------------------------
// §4 [WIRE]: MAIL FROM before STARTTLS.
core::Reply starttls_required(std::string_view bracket);
// §4 [WIRE-partial]: "530 5.7.57 Client not authenticated to send mail. [..]"; after a failed AUTH
// "... mail. Error: 535 5.7.139 ... [..]" [WIRE-partial, consistent].
core::Reply not_authenticated(std::string_view bracket, std::optional<std::string_view> earlier_failure);
// §5 [WIRE].
core::Reply sender_ok();
core::Reply recipient_ok();
core::Reply start_mail_input();
core::Reply resetting();
core::Reply closing();
// INFER: Exchange family "250 2.0.0 OK" for NOOP.
core::Reply noop_ok();
// INFER (Exchange on-premises wording): VRFY is not answered.
core::Reply cannot_vrfy(std::string_view argument);
// INFER (Exchange on-premises HELP text).
core::Reply help();
// §5 [WIRE]: "250 2.0.0 OK <message-id> [Hostname=SYBP282MB2635.AUSP282.PROD.OUTLOOK.COM]".
core::Reply submission_queued(std::string_view message_id, std::string_view mailbox_host);
// §5 MX [WIRE]: "250 2.6.0 <id> [InternalId=.., Hostname=..] 8547 bytes in 0.132, 63.086 KB/sec
// Queued mail for delivery".
core::Reply mx_queued(std::string_view message_id, std::uint64_t internal_id, std::string_view host,
                      std::size_t bytes, double seconds);

// ---- Submission-side errors (§6) ----------------------------------------------------------------
// §6 [WIRE] CodeIgniter log 2025-11-23. The diagnostic block is abridged (the real one runs to
// kilobytes and is cut by every log seen); the Hostname trailer is INFER from the 250 form.
core::Reply send_as_denied(std::string_view auth_user, std::string_view from, std::string_view mailbox_host);
// §6 [WIRE] pastebin wtU9XT6T (2018): the older wording.
core::Reply send_as_denied_legacy(std::string_view bracket);
// §6 [DOC]: 10,000 recipients per 24 h exceeded. Bracket INFER.
core::Reply submission_quota_exceeded(std::string_view bracket);
// §6/§11 [DOC]: more than 3 concurrent connections per mailbox. Bracket INFER.
core::Reply sender_thread_limit(std::string_view bracket);
// §6/§13.4 [UNCONFIRMED]: per-RCPT form, Exchange receive connector wording [3P].
core::Reply too_many_recipients(std::string_view bracket);
// §6/§13.4 [DOC-adjacent]: the NDR form, offered as the alternative.
core::Reply recipient_limit_ndr(std::string_view bracket);
// §13.5 [UNCONFIRMED]: Exchange-family convention for SIZE above the limit.
core::Reply message_too_big(std::string_view bracket);
// §6 [DOC]: no valid From header (stage UNCONFIRMED).
core::Reply from_header_required(std::string_view bracket);

// ---- MX / EOP (§7) ------------------------------------------------------------------------------
// §7 [WIRE]: DBEB, unknown recipient in an accepted domain, at RCPT.
core::Reply recipient_rejected(std::string_view bracket);
// §7 [WIRE]: relay without a matching connector (default for external direct send, §13.7).
core::Reply relay_tenant_attribution(std::string_view bracket);
// §7 [DOC]: alternative for external direct send.
core::Reply relay_access_denied(std::string_view bracket);
// §7 [WIRE, on-premises only]: alternative for external direct send.
core::Reply unable_to_relay(std::string_view bracket);
// §7 [DOC; stage 3P "at RCPT TO", §13.7].
core::Reply direct_send_rejected(std::string_view bracket);
// §7 [WIRE] blog transcript 2019 (note the two spaces before "http" as on the wire).
core::Reply banned_sending_ip(std::string_view ip, std::string_view bracket);

// ---- Generic protocol errors (INFER: Exchange-family wording) -----------------------------------
core::Reply bad_sequence(std::string_view bracket);
core::Reply syntax_error(std::string_view bracket);
core::Reply invalid_address(std::string_view bracket);
core::Reply line_too_long(std::string_view bracket);
core::Reply unrecognized_parameter(std::string_view bracket);
core::Reply smtputf8_required(std::string_view bracket);
core::Reply no_valid_recipients(std::string_view bracket);
core::Reply bare_line_feed(std::string_view bracket);
core::Reply tls_not_available(std::string_view bracket);
core::Reply auth_cancelled(std::string_view bracket);
core::Reply auth_bad_base64(std::string_view bracket);
core::Reply too_many_errors(std::string_view bracket);
core::Reply timeout(std::string_view bracket);
core::Reply shutting_down(std::string_view bracket);
core::Reply local_error(std::string_view bracket);
// INFER (Exchange-family 5.5.0): input before the greeting or unauthorised pipelining.
core::Reply protocol_violation(std::string_view bracket);

}  // namespace replies
}  // namespace exosim::policy::exo
