#pragma once
// The policy seam: the engine checks syntax and order, the policy decides acceptance and wording.
// Exchange Online profiles and scenario overrides implement or decorate this interface.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actions.hpp"
#include "reply.hpp"
#include "session_state.hpp"

namespace exosim::core {

// Protocol errors the engine detects itself; the policy words them (Exchange has its own texts).
enum class ProtocolError {
    line_too_long,          // 500 5.5.2
    unknown_command,        // 500 5.5.1
    syntax,                 // 501 5.5.4
    bad_sequence,           // 503 5.5.1
    need_hello,             // 503 5.5.1 (MAIL before EHLO, e.g. after STARTTLS)
    bad_path,               // 501 5.1.3
    bad_param,              // 555 5.5.4
    utf8_not_negotiated,    // 553 5.6.7
    bare_line_ending,       // 500 5.5.2 / 421 in reject mode (a command line)
    bare_line_ending_in_data, // 550 5.6.11 message refused: bare CR/LF in its content (reject mode)
    too_many_recipients,    // 452 4.5.3
    message_too_big,        // 552 5.3.4
    no_valid_recipients,    // 554 5.5.1
    tls_already_active,     // 503 5.5.1
    tls_not_available,      // 454 4.7.0 (no certificate on this listener)
    auth_already,           // 503 5.5.1
    auth_in_transaction,    // 503 5.5.1
    auth_unknown_mechanism, // 504 5.5.4
    auth_cancelled,         // 501 5.7.0
    auth_bad_base64,        // 501 5.5.2
    auth_not_available,     // 503 5.5.1 (AUTH not advertised)
    bdat_not_offered,       // 503 5.5.1
    unauthorized_pipelining,// 554 5.5.0 (input before a reply when PIPELINING is not offered), then close
    pregreet,               // 554 5.5.0 input before the greeting
    too_many_errors,        // 421 4.7.0
    timeout,                // 421 4.4.2
    shutting_down,          // 421 4.3.2
    input_overflow,         // 421 4.7.0 pipelined input cap exceeded
    http_command,           // 421 (cross-protocol, drop)
    local_error,            // 451 4.3.0 (storage failed)
};

// Closing is always an explicit decision (Decision::close_with sets `close`), never read from a reply's
// code: the engine closes after a decision's reply exactly when `close` is set.
struct Decision {
    enum class Kind { proceed, reject };
    // Why the policy decided so, when the wire does not say (XOAUTH2: every token failure is the
    // same 535 5.7.3): the engine records it as a Finding{rule, detail} event.
    struct Note {
        std::string rule;
        std::string detail;
    };
    Kind kind = Kind::proceed;
    std::optional<Reply> reply;  // nullopt: the engine's default reply for this step
    std::chrono::milliseconds delay{0};  // wait before replying (AUTH tarpit)
    bool close = false;  // close the connection after the reply
    std::optional<TlsAlert> tls_alert;  // mid-DATA only: end TLS with this alert instead of a reply
    std::optional<Note> note;

    static Decision ok() { return {}; }
    static Decision ok_with(Reply r) { return {Kind::proceed, std::move(r), {}, false, std::nullopt, std::nullopt}; }
    static Decision reject(Reply r, std::chrono::milliseconds d = {}) {
        return {Kind::reject, std::move(r), d, false, std::nullopt, std::nullopt};
    }
    // Refuse with `r` (typically a 421, RFC 5321 3.8) and close the connection.
    static Decision close_with(Reply r) {
        return {Kind::reject, std::move(r), {}, true, std::nullopt, std::nullopt};
    }
    static Decision tls_abort(TlsAlert a) { return {Kind::reject, std::nullopt, {}, true, a, std::nullopt}; }
};

// Credentials extracted from a completed SASL exchange.
struct Credentials {
    std::string mechanism;  // LOGIN, PLAIN, XOAUTH2
    std::string authzid;    // PLAIN only
    std::string user;
    std::string secret;     // password or bearer token
};

// Capabilities the EHLO reply lists (after the hello line).
struct Capabilities {
    std::vector<std::string> lines;  // e.g. "SIZE 157286400", "PIPELINING", "AUTH LOGIN XOAUTH2"
    bool has(std::string_view keyword) const;  // whole-token, case-insensitive
    std::vector<std::string> auth_mechanisms() const;
    std::optional<std::uint64_t> size_limit() const;
};

enum class BareLineEnding { reject, normalize };

// Engine knobs that policy decides once per session.
struct EngineSettings {
    BareLineEnding bare_line_endings = BareLineEnding::reject;
    bool reject_unauthorized_pipelining = true;  // SR-10, only applies when PIPELINING is not offered
    bool reject_pregreet = false;                // SR-06 strict profile; always recorded as a finding
    std::size_t max_recipients = 1000;           // RCPT beyond this get too_many_recipients
    std::size_t max_errors = 20;                 // hard error limit before 421
    bool tls_available = true;                   // listener has a certificate
};

class SessionPolicy {
public:
    virtual ~SessionPolicy() = default;

    virtual EngineSettings settings(const SessionState&) const { return {}; }
    // Greeting; reject (or close_with) gives e.g. 554 or 421 instead of 220.
    virtual Decision on_connect(const SessionState&) = 0;
    virtual Decision on_ehlo(const SessionState&, std::string_view domain, bool esmtp) = 0;
    // EHLO reply: first line (hostname greeting) and capability lines.
    virtual std::string ehlo_greeting(const SessionState&) const = 0;
    virtual Capabilities capabilities(const SessionState&) const = 0;
    virtual Decision on_starttls(const SessionState&) = 0;
    // Called when AUTH names a mechanism, before any exchange (e.g. PLAIN refused, AUTH before TLS).
    virtual Decision on_auth_start(const SessionState&, std::string_view mechanism) = 0;
    virtual Decision on_auth(const SessionState&, const Credentials&) = 0;
    virtual Decision on_mail(const SessionState&, const Path&, const MailParams&) = 0;
    virtual Decision on_rcpt(const SessionState&, const Path&, const RcptParams&) = 0;
    virtual Decision on_data(const SessionState&) = 0;
    // After end of data, before storing. The content is the unstuffed message.
    virtual Decision on_message(const SessionState&, std::string_view content) = 0;
    // DATA content is arriving: `received` octets so far (called after each read that carried
    // content, the last one included, before on_message). Anything but ok() ends the session at
    // once: the decision's reply (if any) is sent mid-stream and the connection closes.
    virtual Decision on_message_data(const SessionState&, std::uint64_t received) { return Decision::ok(); }
    // The reply once the message is durable. `id` is the store's id.
    virtual Reply message_accepted(const SessionState&, std::string_view content, std::string_view id) = 0;
    virtual Decision on_quit(const SessionState&) = 0;
    virtual Decision on_rset(const SessionState&) = 0;
    virtual Decision on_vrfy(const SessionState&, std::string_view arg) = 0;
    virtual Reply help(const SessionState&) const = 0;
    virtual Reply noop(const SessionState&) const = 0;
    virtual Reply protocol_error(const SessionState&, ProtocolError) const = 0;
    // TLS is up. A refusal answers the client's next command (closing after it when `close` is set):
    // Exchange closes TLS 1.0/1.1 sessions so (421 4.7.66).
    virtual Decision on_tls_established(const SessionState&) = 0;

    // The stored copy, asked once on_message proceeded. Exchange stamps trace headers
    // (Authentication-Results, Received) and adds a Message-ID the client left out: the content
    // to store instead of `received`, or nullopt to store the received bytes unchanged.
    virtual std::optional<std::string> stored_content(const SessionState&, std::string_view received) const {
        (void)received;
        return std::nullopt;
    }
    // JSON object text stored with the message (e.g. {"deliver_after": ...} for a delayed message).
    virtual std::string annotations_json(const SessionState&) const { return "{}"; }
};

}  // namespace exosim::core
