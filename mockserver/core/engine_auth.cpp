// AUTH (RFC 4954): mechanism selection, SASL exchange lines, and the outcome.
#include "core/ascii.hpp"
#include "core/command.hpp"
#include "core/engine_impl.hpp"
#include "core/rfc_replies.hpp"

namespace exosim::core {

using Impl = Engine::Impl;

void Impl::proceed_auth(const Command& c, const Decision& d) {
    const std::size_t sp = c.argument.find(' ');
    const std::string mechanism = ascii::upper(c.argument.substr(0, sp));
    const std::vector<std::string> offered = caps().auth_mechanisms();
    if (offered.empty()) return error(ProtocolError::auth_not_available);
    bool listed = false;
    for (const auto& m : offered) listed = listed || m == mechanism;
    sasl_ = listed ? SaslExchange::create(mechanism) : std::nullopt;
    if (!sasl_) return error(ProtocolError::auth_unknown_mechanism);  // RFC 4954 4: 504
    if (d.delay.count() > 0) actions_.push_back(Pause{d.delay});
    std::optional<std::string_view> initial;
    if (sp != std::string::npos) initial = std::string_view(c.argument).substr(sp + 1);
    sasl_step(sasl_->begin(initial));
}

void Impl::sasl_line(const std::string& text) {
    events_.push_back(CommandReceived{Verb::auth, text == "*" ? text : std::string("<redacted>")});
    sasl_step(sasl_->respond(text));
}

void Impl::sasl_abort(std::optional<ProtocolError> e) {
    sasl_.reset();
    enter(Phase::ready);
    if (e) error(*e);
}

void Impl::sasl_step(SaslExchange::Step step) {
    using Status = SaslExchange::Status;
    if (step.status == Status::challenge) {
        enter(Phase::auth);
        return send(Reply(334, std::move(step.challenge)));  // RFC 4954 4: no enhanced code
    }
    if (step.status == Status::cancelled) return sasl_abort(ProtocolError::auth_cancelled);
    if (step.status == Status::bad_base64) return sasl_abort(ProtocolError::auth_bad_base64);
    sasl_.reset();
    enter(Phase::ready);
    const Credentials& cred = step.credentials;
    const Decision d = policy_.on_auth(state_, cred);
    const bool ok = d.kind == Decision::Kind::proceed;
    if (d.note) finding(d.note->rule, d.note->detail);
    events_.push_back(AuthResult{cred.mechanism, cred.user, ok});
    if (ok) {
        state_.auth_identity = cred.user;
        state_.auth_mechanism = cred.mechanism;
        return answer(d, rfc_replies::auth_successful());
    }
    ++state_.auth_failures;
    const Reply failure = d.reply ? *d.reply : rfc_replies::auth_credentials_invalid();
    state_.last_auth_failure = failure.one_line();
    answer(d, failure);
}

}  // namespace exosim::core
