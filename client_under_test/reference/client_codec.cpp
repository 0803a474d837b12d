// Connection-level flow: greeting, EHLO, STARTTLS, AUTH, QUIT. Transactions are in client_transaction.cpp.
#include "reference/client_codec.hpp"

#include <algorithm>
#include <utility>

#include "reference/smtp_data.hpp"

namespace exosim::client {
namespace {

core::Reply no_reply() { return {}; }

std::string_view parser_error_name(core::ReplyError e) {
    switch (e) {
    case core::ReplyError::bad_code: return "bad reply code";
    case core::ReplyError::bad_separator: return "bad separator after reply code";
    case core::ReplyError::code_changed: return "reply code changed within a reply";
    case core::ReplyError::line_too_long: return "reply line too long";
    case core::ReplyError::too_many_lines: return "too many reply lines";
    case core::ReplyError::bare_line_ending: return "bare CR or LF in reply";
    case core::ReplyError::none: break;
    }
    return "none";
}

}  // namespace

ClientCodec::ClientCodec(ClientConfig config)
    : config_(std::move(config)),
      data_(encode_data(config_.message, {!config_.quirks.no_dot_stuffing, config_.quirks.bare_lf})),
      queue_(config_.recipients.begin(), config_.recipients.end()) {
    // Until every recipient has an answer, each one is owed a retry.
    outcome_.deferred.assign(config_.recipients.begin(), config_.recipients.end());
}

void ClientCodec::on_connected(bool tls_active) {
    tls_active_ = tls_active;
    // RFC 5321 3.1: the greeting is due without a command; EHLO is never sent before it (CC-18).
    in_flight_.push_back({Expect::greeting});
}

void ClientCodec::on_bytes(std::string_view bytes) {
    if (finished_ || closing_) return;
    if (!parser_.feed(bytes)) {
        // Replies completed before the error are still acted on: they are valid.
        process_replies();
        if (!finished_ && !closing_)
            fail(Result::deferred, no_reply(), "protocol error: " + std::string(parser_error_name(parser_.error())));
        return;
    }
    process_replies();
    check_unsolicited();
}

void ClientCodec::process_replies() {
    while (!in_flight_.empty() && !awaiting_tls_ && !closing_) {
        std::optional<core::ParsedReply> parsed = parser_.next();
        if (!parsed) return;
        Command command = in_flight_.front();
        in_flight_.pop_front();
        handle(command, parsed->reply);
    }
}

// A reply nobody asked for: the commands emitted while processing this input are not on the wire
// yet, so it cannot answer them. Taking it as the next answer would desynchronise (CC-17).
void ClientCodec::check_unsolicited() {
    if (finished_ || closing_ || awaiting_tls_ || !in_flight_.empty()) return;
    std::optional<core::ParsedReply> parsed = parser_.next();
    if (!parsed) return;
    if (parsed->reply.code == 421) return fail(Result::deferred, parsed->reply, "server closing");
    fail(Result::deferred, parsed->reply, "protocol error: unsolicited reply");
}

// RFC 5321 4.3.2 lists which reply classes each command can get; another class is not a verdict the
// client may act on (a 250 to DATA does not mean the body was taken).
bool ClientCodec::unexpected_class(Expect expect, const core::Reply& reply) {
    int digit = reply.code / 100;
    switch (expect) {
    case Expect::data: return digit == 2;
    case Expect::auth: return digit == 3 && reply.code != 334;
    case Expect::starttls:
    case Expect::quit: return false;
    default: return digit == 3;
    }
}

void ClientCodec::handle(const Command& command, const core::Reply& reply) {
    // RFC 5321 3.8: 421 may answer anything and means the server is closing the channel.
    if (reply.code == 421 && command.expect != Expect::quit) return fail(Result::deferred, reply, "server closing");
    if (unexpected_class(command.expect, reply))
        return fail(Result::deferred, reply, "protocol error: unexpected reply class");
    switch (command.expect) {
    case Expect::greeting: return on_greeting(reply);
    case Expect::ehlo: return on_ehlo(reply);
    case Expect::helo:
        if (reply.code / 100 == 2) return advance();
        return fail(reply.code / 100 == 4 ? Result::deferred : Result::rejected, reply, "HELO refused");
    case Expect::starttls: return on_starttls(reply);
    case Expect::auth: return on_auth(reply);
    case Expect::mail: return on_mail(reply);
    case Expect::rcpt: return on_rcpt(command.rcpt, reply);
    case Expect::data: return on_data(reply);
    case Expect::dot: return on_dot(reply);
    case Expect::rset:
        if (reply.code / 100 == 2) return begin_transaction();
        return fail(Result::deferred, reply, "RSET refused");
    case Expect::quit: return close();
    }
}

// RFC 5321 4.2.1: only the first digit decides (CC-16); 554 at greeting means no service (CC-11).
void ClientCodec::on_greeting(const core::Reply& reply) {
    switch (reply.code / 100) {
    case 2: return send("EHLO " + config_.helo + "\r\n", "EHLO " + config_.helo, {{Expect::ehlo}});
    case 4: return fail(Result::deferred, reply, "greeting refused");
    case 5: return fail(Result::rejected, reply, "greeting refused");
    default: return fail(Result::deferred, reply, "protocol error: unexpected greeting");
    }
}

void ClientCodec::on_ehlo(const core::Reply& reply) {
    if (reply.code / 100 == 2) {
        caps_ = Capabilities::from_ehlo(reply);
        return advance();
    }
    if (reply.code / 100 == 4) return fail(Result::deferred, reply, "EHLO refused");
    // RFC 5321 3.2: fall back to HELO, but HELO has no STARTTLS: only where TLS is not needed (CC-03).
    if (!tls_active_ && (config_.require_tls || config_.security != Security::none) &&
        !config_.quirks.ignore_stripped_starttls)
        return fail(Result::refused, reply, "TLS required but the server does not speak ESMTP");
    caps_ = {};
    send("HELO " + config_.helo + "\r\n", "HELO " + config_.helo, {{Expect::helo}});
}

// CC-02: only 2yz starts TLS; 4yz is retried later; anything else is a refusal, never plaintext.
void ClientCodec::on_starttls(const core::Reply& reply) {
    if (reply.code / 100 == 4) return fail(Result::deferred, reply, "STARTTLS refused");
    if (reply.code / 100 != 2) return fail(Result::refused, reply, "STARTTLS refused");
    // Anything the server sent after its 220 came in plaintext and must not be read as a TLS-protected
    // reply (RFC 3207 4.2, CVE-2021-22947, CC-04).
    if (!config_.quirks.reuse_pre_tls_buffer) discarded_pre_tls_ = parser_.discard_pending();
    awaiting_tls_ = true;
    actions_.push_back({ClientAction::Kind::start_tls, {}, "<TLS handshake>"});
}

void ClientCodec::on_tls_established() {
    if (!awaiting_tls_) return;
    awaiting_tls_ = false;
    tls_active_ = true;
    if (config_.quirks.no_ehlo_after_tls) {
        advance();
    } else {
        // RFC 3207 4.2: forget everything learnt before TLS and ask again (CC-05).
        caps_ = {};
        send("EHLO " + config_.helo + "\r\n", "EHLO " + config_.helo, {{Expect::ehlo}});
    }
    if (config_.quirks.reuse_pre_tls_buffer) {
        // The faulty client of CVE-2021-22947 reads what it buffered before TLS as the answer to its
        // post-TLS EHLO, at once (CC-04): treat the EHLO as written and consume the stale replies.
        in_flight_.insert(in_flight_.end(), unsent_.begin(), unsent_.end());
        unsent_.clear();
        process_replies();
    }
}

// The one place that decides the next step between EHLO and the first MAIL.
void ClientCodec::advance() {
    if (config_.security == Security::starttls && !tls_active_ && !starttls_sent_) {
        bool auth_first = config_.quirks.auth_before_tls && config_.auth != AuthMechanism::none && !authenticated_;
        if (!auth_first) {
            if (caps_.has("STARTTLS")) {
                starttls_sent_ = true;  // never twice, even if offered again after TLS (CC-30)
                return send("STARTTLS\r\n", "STARTTLS", {{Expect::starttls}});
            }
            if (!config_.quirks.ignore_stripped_starttls)
                return fail(Result::refused, no_reply(), "STARTTLS not offered");  // CC-01
            stripped_accepted_ = true;
        }
    }
    if (config_.auth != AuthMechanism::none && !authenticated_) return start_auth();
    begin_transaction();
}

// CC-01, CC-02, CC-03, CC-07: credentials and mail go out in plaintext only when asked for.
bool ClientCodec::may_send_in_plaintext() const {
    if (tls_active_) return true;
    if (config_.require_tls) return false;
    switch (config_.security) {
    case Security::none: return true;
    case Security::implicit: return false;
    case Security::starttls: return stripped_accepted_ || (config_.quirks.auth_before_tls && !authenticated_);
    }
    return false;
}

void ClientCodec::start_auth() {
    if (!may_send_in_plaintext()) return fail(Result::refused, no_reply(), "TLS required before AUTH");
    AuthMechanism mechanism = config_.auth;
    // --quirk plain-before-login picks PLAIN whatever was offered; otherwise only what the current
    // (post-TLS) EHLO lists, whole-token matched (CC-05, CC-29).
    if (config_.quirks.plain_before_login && mechanism == AuthMechanism::login) mechanism = AuthMechanism::plain;
    // --quirk password-with-oauth sends the password by LOGIN although the server offers only XOAUTH2.
    else if (config_.quirks.password_with_oauth && mechanism == AuthMechanism::xoauth2 && !config_.password.empty())
        mechanism = AuthMechanism::login;
    else if (!caps_.offers_auth(mechanism_name(mechanism)))
        return fail(Result::refused, no_reply(), "AUTH " + std::string(mechanism_name(mechanism)) + " not offered");
    const std::string& secret = mechanism == AuthMechanism::xoauth2 ? config_.token : config_.password;
    sasl_.emplace(mechanism, config_.user, secret);
    auth_round_ = 0;
    outcome_.auth_used = std::string(mechanism_name(mechanism));
    SaslLine line = sasl_->start();
    send(std::move(line.wire), std::move(line.log), {{Expect::auth}});
}

// RFC 4954 4: 334 asks for more, 235 succeeds; rounds are bounded so a hostile loop ends (CC-28).
void ClientCodec::on_auth(const core::Reply& reply) {
    if (reply.code == 334) {
        std::optional<SaslLine> line = sasl_->respond(auth_round_++);
        if (!line) return send("*\r\n", "*", {{Expect::auth}});
        return send(std::move(line->wire), std::move(line->log), {{Expect::auth}});
    }
    if (reply.code / 100 == 2) {
        authenticated_ = true;
        return advance();
    }
    fail(reply.code / 100 == 4 ? Result::deferred : Result::rejected, reply, "authentication failed");
}

void ClientCodec::quit() {
    if (config_.quirks.no_quit) return close();
    send("QUIT\r\n", "QUIT", {{Expect::quit}});
}

// Ends the session: every recipient without an answer keeps the result's kind.
void ClientCodec::fail(Result result, const core::Reply& reply, std::string detail) {
    // Once every recipient has its answer and QUIT is out, a late oddity cannot change the result.
    if (settled_) return close();
    outcome_.result = result;
    outcome_.reply = reply;
    outcome_.detail = std::move(detail);
    for (const std::string& r : outcome_.deferred) {
        if (result == Result::rejected) outcome_.rejected.push_back(r);
    }
    if (result == Result::rejected) outcome_.deferred.clear();
    // A pipelined DATA still unanswered (RFC 2920 3.1) may have been given 354: the server then
    // reads message text, so QUIT would land inside the message (CC-13) and a lone "." would end
    // it and deliver an empty message. Closing aborts the transaction (RFC 5321 3.8): send nothing.
    const bool data_pending = std::any_of(in_flight_.begin(), in_flight_.end(),
                                          [](const Command& c) { return c.expect == Expect::data; });
    in_flight_.clear();
    // After a broken reply or a closing server, a QUIT is a courtesy that must not be waited for.
    if (!config_.quirks.no_quit && reply.code != 421 && !awaiting_tls_ && !data_pending)
        actions_.push_back({ClientAction::Kind::send, "QUIT\r\n", "QUIT"});
    awaiting_tls_ = false;
    close();
}

void ClientCodec::close() {
    if (closing_) return;
    closing_ = true;
    finished_ = true;
    in_flight_.clear();
    unsent_.clear();
    actions_.push_back({ClientAction::Kind::close, {}, {}});
}

void ClientCodec::on_closed() {
    if (finished_) return;
    bool after_dot = !in_flight_.empty() && in_flight_.front().expect == Expect::dot;
    bool at_quit = !in_flight_.empty() && in_flight_.front().expect == Expect::quit;
    if (at_quit) {
        finished_ = true;  // the result was settled before QUIT
        return;
    }
    // CC-21: lost after the final dot, the message may or may not have been taken: temporary, and the
    // retry carries the same Message-ID so duplicates can be found.
    fail(Result::deferred, no_reply(), after_dot ? "connection lost after end of data" : "connection lost");
}

void ClientCodec::on_timeout() {
    if (finished_) return;
    if (!in_flight_.empty() && in_flight_.front().expect == Expect::quit) return close();
    fail(Result::deferred, no_reply(), "timeout");
}

void ClientCodec::send(std::string bytes, std::string log, std::vector<Command> expects) {
    if (closing_) return;
    actions_.push_back({ClientAction::Kind::send, std::move(bytes), std::move(log)});
    unsent_.insert(unsent_.end(), expects.begin(), expects.end());
}

std::vector<ClientAction> ClientCodec::take_actions() {
    in_flight_.insert(in_flight_.end(), unsent_.begin(), unsent_.end());
    unsent_.clear();
    return std::exchange(actions_, {});
}

Wait ClientCodec::waiting_for() const {
    if (finished_) return Wait::none;
    if (awaiting_tls_) return Wait::tls;
    if (in_flight_.empty()) return Wait::none;
    switch (in_flight_.front().expect) {
    case Expect::greeting: return Wait::greeting;
    case Expect::mail: return Wait::mail;
    case Expect::rcpt: return Wait::rcpt;
    case Expect::data: return Wait::data_init;
    case Expect::dot: return Wait::data_term;
    default: return Wait::command;
    }
}

}  // namespace exosim::client
