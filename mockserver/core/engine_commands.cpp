// The command table (STYLE 2): per verb the phases it is allowed in, check_<verb> (engine rules),
// decide_<verb> (the policy), proceed_<verb> (state change and reply).
#include <array>

#include "core/ascii.hpp"
#include "core/command_parser.hpp"
#include "core/engine_impl.hpp"
#include "core/limits.hpp"
#include "core/rfc_replies.hpp"

namespace exosim::core {

namespace {

using Impl = Engine::Impl;

constexpr unsigned bit(Phase p) { return 1u << static_cast<unsigned>(p); }
constexpr unsigned session = bit(Phase::ready) | bit(Phase::mail) | bit(Phase::rcpt) | bit(Phase::bdat);
constexpr unsigned transaction = bit(Phase::mail) | bit(Phase::rcpt);

struct CommandRow {
    Verb verb;
    unsigned phases;
    ProtocolError wrong_phase;
    std::optional<ProtocolError> (Impl::*check)(const Command&);
    Decision (Impl::*decide)(const Command&);
    void (Impl::*proceed)(const Command&, const Decision&);
};

constexpr ProtocolError seq = ProtocolError::bad_sequence;

// BDAT is absent: its reply follows the chunk (RFC 3030 2), see engine_data.cpp.
constexpr std::array<CommandRow, 13> table{{
    {Verb::ehlo, session, seq, &Impl::check_hello, &Impl::decide_hello, &Impl::proceed_hello},
    {Verb::helo, session, seq, &Impl::check_hello, &Impl::decide_hello, &Impl::proceed_hello},
    {Verb::mail, bit(Phase::ready), seq, &Impl::check_mail, &Impl::decide_mail, &Impl::proceed_mail},
    {Verb::rcpt, transaction, seq, &Impl::check_rcpt, &Impl::decide_rcpt, &Impl::proceed_rcpt},
    {Verb::data, transaction, seq, &Impl::check_data, &Impl::decide_data, &Impl::proceed_data},
    {Verb::rset, session, seq, &Impl::check_none, &Impl::decide_rset, &Impl::proceed_rset},
    {Verb::noop, session, seq, &Impl::check_none, &Impl::decide_ok, &Impl::proceed_noop},
    {Verb::help, session, seq, &Impl::check_none, &Impl::decide_ok, &Impl::proceed_help},
    {Verb::vrfy, session, seq, &Impl::check_none, &Impl::decide_vrfy, &Impl::proceed_vrfy},
    {Verb::expn, session, seq, &Impl::check_none, &Impl::decide_ok, &Impl::proceed_expn},
    {Verb::quit, session, seq, &Impl::check_none, &Impl::decide_quit, &Impl::proceed_quit},
    {Verb::starttls, bit(Phase::ready), seq, &Impl::check_starttls, &Impl::decide_starttls, &Impl::proceed_starttls},
    {Verb::auth, bit(Phase::ready), ProtocolError::auth_in_transaction, &Impl::check_auth, &Impl::decide_auth,
     &Impl::proceed_auth},
}};

ProtocolError parse_error(CommandError e) {
    switch (e) {
        case CommandError::unknown_verb: return ProtocolError::unknown_command;
        case CommandError::bad_path:
        case CommandError::path_too_long: return ProtocolError::bad_path;
        case CommandError::bad_param: return ProtocolError::bad_param;
        case CommandError::non_ascii_path: return ProtocolError::utf8_not_negotiated;
        default: return ProtocolError::syntax;
    }
}

}  // namespace

void Impl::dispatch(const CommandParse& p) {
    const Command& c = p.command;
    if (connect_rejected_ && c.verb != Verb::quit) return error(seq);  // RFC 5321 3.1: 554 then only QUIT
    if (p.error == CommandError::unknown_verb && ++junk_ >= limits::junk_command_limit) {
        send(policy_.protocol_error(state_, ProtocolError::too_many_errors));
        return close();
    }
    if (p.error != CommandError::none) return error(parse_error(p.error));
    if (c.verb == Verb::bdat) return bdat_command(c);
    for (const CommandRow& row : table) {
        if (row.verb != c.verb) continue;
        if ((row.phases & bit(phase_)) == 0) return error(row.wrong_phase);
        if (auto e = (this->*row.check)(c)) return error(*e);
        const Decision d = (this->*row.decide)(c);
        if (d.kind != Decision::Kind::proceed) return answer(d, Reply{});
        return (this->*row.proceed)(c, d);
    }
    error(ProtocolError::unknown_command);
}

// ---- checks: engine rules, before the policy is asked

std::optional<ProtocolError> Impl::check_none(const Command&) { return std::nullopt; }
std::optional<ProtocolError> Impl::check_hello(const Command&) { return std::nullopt; }

std::optional<ProtocolError> Impl::check_mail(const Command& c) {
    if (!state_.helo) return ProtocolError::need_hello;  // RFC 5321 4.1.4; RFC 3207 4.2 after TLS
    const Capabilities k = caps();
    if (c.mail.smtputf8 && !k.has("SMTPUTF8")) return ProtocolError::bad_param;            // RFC 6531 3.4
    if (c.mail.body == Body::binary_mime && !k.has("BINARYMIME")) return ProtocolError::bad_param;  // RFC 3030 3
    if (c.mail.size && k.size_limit() && *c.mail.size > *k.size_limit()) return ProtocolError::message_too_big;
    return std::nullopt;  // RFC 1870 6.1: SIZE= over the limit is 552 5.3.4
}

std::optional<ProtocolError> Impl::check_rcpt(const Command& c) {
    // RFC 6531 3.4: a UTF-8 forward-path needs SMTPUTF8 on the MAIL command.
    if (!state_.envelope.params.smtputf8 && ascii::has_non_ascii(c.path.str())) return ProtocolError::utf8_not_negotiated;
    // SR-17: past the limit nothing is stored, so memory stays O(limit).
    if (state_.envelope.recipients.size() >= settings_.max_recipients) return ProtocolError::too_many_recipients;
    return std::nullopt;
}

std::optional<ProtocolError> Impl::check_data(const Command&) {
    // RFC 5321 3.3 / SR-12: MAIL accepted but no recipient.
    if (phase_ == Phase::mail) return ProtocolError::no_valid_recipients;
    return std::nullopt;
}

std::optional<ProtocolError> Impl::check_starttls(const Command&) {
    if (state_.tls_active()) return ProtocolError::tls_already_active;  // RFC 3207 4.2
    if (!settings_.tls_available) return ProtocolError::tls_not_available;
    return std::nullopt;
}

std::optional<ProtocolError> Impl::check_auth(const Command&) {
    if (state_.auth_identity) return ProtocolError::auth_already;  // RFC 4954 4
    if (!state_.helo) return ProtocolError::need_hello;
    return std::nullopt;
}

// ---- decisions

Decision Impl::decide_ok(const Command&) { return Decision::ok(); }
Decision Impl::decide_hello(const Command& c) {
    return policy_.on_ehlo(state_, c.argument.substr(0, c.argument.find(' ')), c.verb == Verb::ehlo);
}
Decision Impl::decide_mail(const Command& c) { return policy_.on_mail(state_, c.path, c.mail); }
Decision Impl::decide_rcpt(const Command& c) { return policy_.on_rcpt(state_, c.path, c.rcpt); }
Decision Impl::decide_data(const Command&) { return policy_.on_data(state_); }
Decision Impl::decide_starttls(const Command&) { return policy_.on_starttls(state_); }
Decision Impl::decide_rset(const Command&) { return policy_.on_rset(state_); }
Decision Impl::decide_vrfy(const Command& c) { return policy_.on_vrfy(state_, c.argument); }
Decision Impl::decide_quit(const Command&) { return policy_.on_quit(state_); }
Decision Impl::decide_auth(const Command& c) {
    return policy_.on_auth_start(state_, ascii::upper(c.argument.substr(0, c.argument.find(' '))));
}

// ---- proceed: state change and reply

void Impl::proceed_hello(const Command& c, const Decision& d) {
    reset_transaction();  // RFC 5321 4.1.4: EHLO/HELO imply RSET
    state_.helo = c.argument.substr(0, c.argument.find(' '));
    state_.esmtp = c.verb == Verb::ehlo;
    enter(Phase::ready);
    Reply r;
    r.code = 250;
    r.lines.push_back(policy_.ehlo_greeting(state_));
    if (state_.esmtp) {
        for (auto& line : caps().lines) r.lines.push_back(std::move(line));
    }
    answer(d, std::move(r));
}

void Impl::proceed_mail(const Command& c, const Decision& d) {
    state_.envelope = Envelope{};
    state_.envelope.reverse_path = c.path;
    state_.envelope.params = c.mail;
    state_.envelope.raw_mail_params = c.params;
    enter(Phase::mail);
    answer(d, rfc_replies::sender_ok());
}

void Impl::proceed_rcpt(const Command& c, const Decision& d) {
    state_.envelope.recipients.push_back(Recipient{c.path, c.rcpt});
    enter(Phase::rcpt);
    answer(d, rfc_replies::recipient_ok());
}

void Impl::proceed_data(const Command&, const Decision& d) {
    data_.emplace(settings_.bare_line_endings, message_cap());
    enter(Phase::data);
    answer(d, rfc_replies::start_mail_input());
}

void Impl::proceed_rset(const Command&, const Decision& d) {
    reset_transaction();
    enter(Phase::ready);
    answer(d, rfc_replies::ok());
}

void Impl::proceed_noop(const Command&, const Decision&) { send(policy_.noop(state_)); }
void Impl::proceed_help(const Command&, const Decision&) { send(policy_.help(state_)); }
void Impl::proceed_expn(const Command&, const Decision&) { error(ProtocolError::unknown_command); }

void Impl::proceed_vrfy(const Command&, const Decision& d) {
    answer(d, rfc_replies::cannot_vrfy());
}

void Impl::proceed_quit(const Command&, const Decision& d) {
    answer(d, rfc_replies::service_closing());
    close();
}

// RFC 3207 4.2: after the 220 the server forgets everything learned before TLS, and the plaintext
// that followed STARTTLS in the same buffer is dropped (CVE-2011-0411, SR-01).
void Impl::proceed_starttls(const Command&, const Decision& d) {
    answer(d, rfc_replies::ready_to_start_tls());
    if (phase_ == Phase::closed) return;
    if (!pending().empty()) finding("starttls-plaintext-injection", std::to_string(pending().size()) + " octets");
    pos_ = in_.size();
    lines_.reset();
    reset_transaction();
    state_.helo.reset();
    state_.esmtp = false;
    state_.auth_identity.reset();
    state_.auth_mechanism.reset();
    actions_.push_back(StartTls{});
    events_.push_back(TlsRequested{});
    enter(Phase::tls_pending);
}

}  // namespace exosim::core
