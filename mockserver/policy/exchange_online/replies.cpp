#include "policy/exchange_online/replies.hpp"

#include <array>
#include <cstdio>
#include <ctime>

namespace exosim::policy::exo {

namespace {

std::tm utc(TimePoint at) {
    const std::time_t t = std::chrono::system_clock::to_time_t(at);
    std::tm tm{};
    gmtime_r(&t, &tm);
    return tm;
}

int millis(TimePoint at) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count() % 1000;
    return static_cast<int>(ms < 0 ? ms + 1000 : ms);
}

std::string with_bracket(std::string text, std::string_view bracket) {
    if (!bracket.empty()) {
        text += ' ';
        text += bracket;
    }
    return text;
}

core::Reply make(int code, core::EnhancedCode e, std::string text, std::string_view bracket) {
    return core::Reply(code, e, with_bracket(std::move(text), bracket));
}

constexpr std::string_view auth_unsuccessful = "Authentication unsuccessful, ";

}  // namespace

std::string NodeIdentity::fqdn() const { return name + "." + region + "." + suffix; }

std::string diagnostic_bracket(const NodeIdentity& node, TimePoint at, std::string_view session_id,
                               BracketStyle style) {
    if (style == BracketStyle::legacy) return "[" + node.fqdn() + "]";
    return "[" + node.fqdn() + " " + iso8601_ms(at) + " " + std::string(session_id) + "]";
}

std::string banner_date(TimePoint at) {
    static constexpr std::array<const char*, 7> days = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr std::array<const char*, 12> months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::tm tm = utc(at);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s, %d %s %d %02d:%02d:%02d +0000", days[static_cast<std::size_t>(tm.tm_wday)],
                  tm.tm_mday, months[static_cast<std::size_t>(tm.tm_mon)], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                  tm.tm_sec);
    return buf;
}

std::string iso8601_ms(TimePoint at) {
    const std::tm tm = utc(at);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, millis(at));
    return buf;
}

namespace replies {

core::Reply banner(std::string_view host, TimePoint at, std::optional<std::string_view> session_id) {
    std::string text = std::string(host) + " Microsoft ESMTP MAIL Service ready at " + banner_date(at);
    if (session_id) text += " [" + std::string(*session_id) + "]";
    return core::Reply(220, std::move(text));
}

std::string hello_line(std::string_view host, std::string_view seen_address) {
    return std::string(host) + " Hello [" + std::string(seen_address) + "]";
}

std::vector<std::string> ehlo_keywords(std::uint64_t size_limit, bool offer_starttls, bool offer_auth) {
    std::vector<std::string> k = {"SIZE " + std::to_string(size_limit), "PIPELINING", "DSN", "ENHANCEDSTATUSCODES"};
    if (offer_starttls) k.emplace_back("STARTTLS");
    if (offer_auth) k.emplace_back("AUTH LOGIN XOAUTH2");
    for (const char* s : {"8BITMIME", "BINARYMIME", "CHUNKING", "SMTPUTF8"}) k.emplace_back(s);
    return k;
}

core::Reply starttls_ready() { return core::Reply(220, {2, 0, 0}, "SMTP server ready"); }

core::Reply legacy_tls_refused(std::string_view b) {
    return make(421, {4, 7, 66},
                "TLS 1.0 and 1.1 are not supported. Please upgrade/update your client to support TLS 1.2. "
                "Visit https://aka.ms/smtp_auth_tls.",
                b);
}

core::Reply send_hello_first(std::string_view b) { return make(503, {5, 5, 2}, "Send hello first", b); }
core::Reply invalid_domain_name(std::string_view b) { return make(501, {5, 5, 4}, "Invalid domain name", b); }

core::Reply unrecognized_command(std::string_view command, std::string_view b) {
    return make(500, {5, 3, 3}, "Unrecognized command '" + std::string(command) + "'", b);
}

core::Reply unrecognized_command(std::string_view b) { return make(500, {5, 3, 3}, "Unrecognized command", b); }

core::Reply auth_success() { return core::Reply(235, {2, 7, 0}, "Authentication successful"); }

core::Reply unrecognized_auth_type(std::string_view b) {
    return make(504, {5, 7, 4}, "Unrecognized authentication type", b);
}

core::Reply auth_disabled_tenant(std::string_view b) {
    return make(535, {5, 7, 139},
                std::string(auth_unsuccessful) +
                    "SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled "
                    "for more information.",
                b);
}

core::Reply auth_disabled_mailbox(std::string_view b) {
    return make(535, {5, 7, 139},
                std::string(auth_unsuccessful) +
                    "SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled "
                    "for more information.",
                b);
}

core::Reply basic_auth_disabled(std::string_view b) {
    return make(535, {5, 7, 139}, std::string(auth_unsuccessful) + "basic authentication is disabled.", b);
}

core::Reply credentials_incorrect(std::string_view b) {
    return make(535, {5, 7, 139}, std::string(auth_unsuccessful) + "the user credentials were incorrect.", b);
}

core::Reply conditional_access(std::string_view b) {
    return make(535, {5, 7, 139},
                std::string(auth_unsuccessful) +
                    "the request did not meet the criteria to be authenticated successfully. Contact your "
                    "administrator.",
                b);
}

core::Reply security_defaults(std::string_view b) {
    return make(535, {5, 7, 139},
                std::string(auth_unsuccessful) +
                    "user is locked by your organization's security defaults policy. Contact your administrator.",
                b);
}

core::Reply account_locked(std::string_view b) {
    return make(535, {5, 7, 139}, std::string(auth_unsuccessful) + "account locked. Contact your administrator.", b);
}

core::Reply oauth_failed(std::string_view b) { return make(535, {5, 7, 3}, "Authentication unsuccessful", b); }

core::Reply basic_auth_retired(std::string_view b) {
    return make(550, {5, 7, 30}, "Basic authentication is not supported for Client Submission.", b);
}

std::string without_bracket(std::string_view one_line) {
    std::string line(one_line);
    if (!line.empty() && line.back() == ']') {
        const auto open = line.rfind(" [");
        if (open != std::string::npos) line.erase(open);
    }
    return line;
}

std::string embeddable(const core::Reply& r) { return without_bracket(r.one_line()); }

core::Reply starttls_required(std::string_view b) {
    return make(451, {5, 7, 3}, "STARTTLS is required to send mail", b);
}

core::Reply not_authenticated(std::string_view b, std::optional<std::string_view> earlier) {
    std::string text = "Client not authenticated to send mail.";
    if (earlier && !earlier->empty()) text += " Error: " + std::string(*earlier);
    return make(530, {5, 7, 57}, std::move(text), b);
}

core::Reply sender_ok() { return core::Reply(250, {2, 1, 0}, "Sender OK"); }
core::Reply recipient_ok() { return core::Reply(250, {2, 1, 5}, "Recipient OK"); }
core::Reply start_mail_input() { return core::Reply(354, "Start mail input; end with <CRLF>.<CRLF>"); }
core::Reply resetting() { return core::Reply(250, {2, 0, 0}, "Resetting"); }
core::Reply closing() { return core::Reply(221, {2, 0, 0}, "Service closing transmission channel"); }
core::Reply noop_ok() { return core::Reply(250, {2, 0, 0}, "OK"); }

core::Reply cannot_vrfy(std::string_view argument) {
    return core::Reply(252, {2, 1, 5}, "Cannot VRFY user, but will take message for " + std::string(argument));
}

core::Reply help() {
    core::Reply r;
    r.code = 214;
    r.lines = {"This server supports the following commands:",
               "HELO EHLO STARTTLS RCPT DATA RSET MAIL QUIT HELP AUTH BDAT"};
    return r;
}

core::Reply submission_queued(std::string_view message_id, std::string_view mailbox_host) {
    return core::Reply(250, {2, 0, 0},
                       "OK " + std::string(message_id) + " [Hostname=" + std::string(mailbox_host) + "]");
}

core::Reply mx_queued(std::string_view message_id, std::uint64_t internal_id, std::string_view host,
                      std::size_t bytes, double seconds) {
    const double rate = seconds > 0 ? static_cast<double>(bytes) / 1024.0 / seconds : 0.0;
    char tail[128];
    std::snprintf(tail, sizeof tail, "] %zu bytes in %.3f, %.3f KB/sec Queued mail for delivery", bytes, seconds, rate);
    return core::Reply(250, {2, 6, 0},
                       std::string(message_id) + " [InternalId=" + std::to_string(internal_id) +
                           ", Hostname=" + std::string(host) + tail);
}

core::Reply send_as_denied(std::string_view auth_user, std::string_view from, std::string_view mailbox_host) {
    return core::Reply(
        554, {5, 2, 252},
        "SendAsDenied; " + std::string(auth_user) + " not allowed to send as " + std::string(from) +
            "; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process "
            "message due to a permanent exception with message [BeginDiagnosticData]Cannot submit message. "
            "1.84300:0A000000, 1.84300:0A000000, 1.84300:0E000000, 1.84300:32000000, 1.73948:00000000, "
            "1.108572:00000000, 0.117068:0B000000, 1.79180:0A000000[EndDiagnosticData] [Hostname=" +
            std::string(mailbox_host) + "]");
}

core::Reply send_as_denied_legacy(std::string_view b) {
    return make(550, {5, 7, 60}, "SMTP; Client does not have permissions to send as this sender", b);
}

core::Reply submission_quota_exceeded(std::string_view b) {
    return make(554, {5, 2, 0}, "STOREDRV.Submission.Exception:SubmissionQuotaExceededException", b);
}

core::Reply sender_thread_limit(std::string_view b) {
    return make(432, {4, 3, 2}, "STOREDRV.ClientSubmit; sender thread limit exceeded", b);
}

core::Reply too_many_recipients(std::string_view b) { return make(452, {4, 5, 3}, "Too many recipients", b); }

core::Reply recipient_limit_ndr(std::string_view b) {
    return make(550, {5, 5, 3}, "RESOLVER.ADR.RecipLimit; too many recipients", b);
}

core::Reply message_too_big(std::string_view b) {
    return make(552, {5, 3, 4}, "Message size exceeds fixed maximum message size", b);
}

core::Reply from_header_required(std::string_view b) {
    return make(550, {5, 7, 512}, "Access denied, message must be RFC 5322 section 3.6.2 compliant", b);
}

core::Reply recipient_rejected(std::string_view b) {
    return make(550, {5, 4, 1}, "Recipient address rejected: Access denied.", b);
}

core::Reply relay_tenant_attribution(std::string_view b) {
    return make(550, {5, 7, 64}, "TenantAttribution; Relay Access Denied", b);
}

core::Reply relay_access_denied(std::string_view b) { return make(550, {5, 4, 1}, "Relay Access Denied", b); }

core::Reply unable_to_relay(std::string_view b) {
    return make(550, {5, 7, 54}, "SMTP; Unable to relay recipient in non-accepted domain", b);
}

core::Reply direct_send_rejected(std::string_view b) {
    return make(550, {5, 7, 68},
                "TenantInboundAttribution; Direct Send not allowed for this organization from unauthorized sources", b);
}

core::Reply banned_sending_ip(std::string_view ip, std::string_view b) {
    return make(550, {5, 7, 606},
                "Access denied, banned sending IP [" + std::string(ip) +
                    "]. To request removal from this list please visit https://sender.office.com/ and follow the "
                    "directions. For more information please go to  http://go.microsoft.com/fwlink/?LinkID=526655 "
                    "(AS16012609)",
                b);
}

core::Reply bad_sequence(std::string_view b) { return make(503, {5, 5, 1}, "Bad sequence of commands", b); }
core::Reply syntax_error(std::string_view b) { return make(501, {5, 5, 4}, "Invalid arguments", b); }
core::Reply invalid_address(std::string_view b) { return make(501, {5, 1, 3}, "Invalid address", b); }
core::Reply line_too_long(std::string_view b) { return make(500, {5, 5, 2}, "Line too long", b); }
core::Reply unrecognized_parameter(std::string_view b) { return make(501, {5, 5, 4}, "Unrecognized parameter", b); }
core::Reply smtputf8_required(std::string_view b) {
    return make(553, {5, 6, 7}, "SMTPUTF8 is required for this address", b);
}
core::Reply no_valid_recipients(std::string_view b) { return make(503, {5, 5, 2}, "Need rcpt command", b); }
core::Reply bare_line_feed(std::string_view b) { return make(500, {5, 5, 2}, "Bare line feed not allowed", b); }
core::Reply tls_not_available(std::string_view b) {
    return make(454, {4, 7, 0}, "TLS not available due to local problem", b);
}
core::Reply auth_cancelled(std::string_view b) { return make(501, {5, 7, 0}, "Authentication cancelled", b); }
core::Reply auth_bad_base64(std::string_view b) { return make(501, {5, 5, 2}, "Cannot decode response", b); }
core::Reply too_many_errors(std::string_view b) {
    return make(421, {4, 7, 0}, "Too many errors on this connection, closing transmission channel", b);
}
core::Reply timeout(std::string_view b) { return make(451, {4, 7, 0}, "Timeout waiting for client input", b); }
core::Reply shutting_down(std::string_view b) {
    return make(421, {4, 3, 2}, "Service not available, closing transmission channel", b);
}
core::Reply local_error(std::string_view b) {
    return make(451, {4, 7, 0}, "Temporary server error. Please try again later.", b);
}

core::Reply protocol_violation(std::string_view b) { return make(554, {5, 5, 0}, "Protocol violation", b); }

}  // namespace replies
}  // namespace exosim::policy::exo
