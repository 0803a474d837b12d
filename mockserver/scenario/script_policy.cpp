// Scripted decisions and capabilities over the inner policy (security-tests.md (c) items 1 and 3).
#include "scenario/script_policy.hpp"

#include <algorithm>
#include <utility>

#include "core/ascii.hpp"
#include "core/overloaded.hpp"
#include "policy/exchange_online/replies.hpp"
#include "scenario/reply_text.hpp"

namespace exosim::scenario {

namespace {

using core::Decision;
using core::Reply;

// Validated when the scenario was loaded; a text that fails here was built in code, not loaded.
std::optional<Reply> reply_of(const std::optional<std::string>& text) {
    if (!text) return std::nullopt;
    std::string error;
    return parse_reply_text(*text, error);
}

std::string_view first_token(std::string_view line) {
    const auto start = line.find_first_not_of(' ');
    if (start == std::string_view::npos) return {};
    line.remove_prefix(start);
    return line.substr(0, line.find(' '));
}

}  // namespace

Decision decision_for(const Reply& reply, bool closes) {
    if (closes) return Decision::close_with(reply);
    if (reply.code < 400) return Decision::ok_with(reply);
    return Decision::reject(reply);
}

Decision ScriptPolicy::decided(const Scripted& sc) { return decision_for(*sc.reply, sc.closes); }

ScriptPolicy::ScriptPolicy(std::unique_ptr<core::SessionPolicy> inner, std::shared_ptr<const Scenario> scenario,
                           std::shared_ptr<Cursor> cursor)
    : inner_(std::move(inner)), scenario_(std::move(scenario)), cursor_(std::move(cursor)),
      session_(std::make_shared<ScriptSession>()) {
    session_->attempt = cursor_->begin_connection();
    const auto& rules = scenario_->server.rules;
    session_->rewrites = std::any_of(rules.begin(), rules.end(), [](const Rule& r) {
        return r.action.rewrites() || r.action.reply.closes;  // a closing NOOP reply closes through ReplyScript
    });
}

ScriptPolicy::Scripted ScriptPolicy::script(Step step, const core::SessionState& s, std::string_view recipient) const {
    const auto index = cursor_->match({step, session_->attempt, recipient, s.tls_active()});
    if (!index) return {};
    const Action& action = cursor_->rule(*index).action;
    return {&action, reply_of(action.reply.text), action.reply.closes};
}

Decision ScriptPolicy::expect(Step step, const Scripted& scripted, Decision d, bool reply_now) const {
    PendingReply p{step, std::nullopt, std::nullopt};
    if (reply_now || d.kind != Decision::Kind::proceed) p.reply = d.reply;
    if (scripted.action && scripted.action->rewrites()) p.action = *scripted.action;
    session_->expect(std::move(p));
    return d;
}

Decision ScriptPolicy::on_connect(const core::SessionState& s) {
    Scripted sc = script(Step::greeting, s);
    if (!sc.reply) {
        sc.reply = reply_of(scenario_->server.greeting);
        sc.closes = scenario_->server.greeting_closes;
    }
    return expect(Step::greeting, sc, sc.reply ? decided(sc) : inner_->on_connect(s));
}

Decision ScriptPolicy::on_ehlo(const core::SessionState& s, std::string_view domain, bool esmtp) {
    const Step step = esmtp ? Step::ehlo : Step::helo;
    const Scripted sc = script(step, s);
    return expect(step, sc, sc.reply ? decided(sc) : inner_->on_ehlo(s, domain, esmtp));
}

// before_tls/after_tls replace the profile's list; then `remove` drops lines whose keyword (first
// token) equals one given, case-insensitively and as a whole token (removing STARTTLS keeps
// XSTARTTLS, CC-29); then `add` appends lines verbatim, inside and outside TLS alike.
core::Capabilities ScriptPolicy::capabilities(const core::SessionState& s) const {
    core::Capabilities caps = inner_->capabilities(s);
    const Capabilities& script = scenario_->server.capabilities;
    const auto& replacement = s.tls_active() ? script.after_tls : script.before_tls;
    if (replacement) caps.lines = *replacement;
    std::erase_if(caps.lines, [&](const std::string& line) {
        return std::any_of(script.remove.begin(), script.remove.end(),
                           [&](const std::string& k) { return core::ascii::iequals(first_token(line), k); });
    });
    caps.lines.insert(caps.lines.end(), script.add.begin(), script.add.end());
    return caps;
}

// RFC 3207 4: only 220 begins the handshake. Any other scripted answer, even a positive one
// (CC-02: "354 do something else"), leaves the session in plaintext.
Decision ScriptPolicy::on_starttls(const core::SessionState& s) {
    const Scripted sc = script(Step::starttls, s);
    Decision d = sc.reply ? decided(sc) : inner_->on_starttls(s);
    if (d.kind == Decision::Kind::proceed && !scenario_->server.tls.starts) {
        d.kind = Decision::Kind::reject;
        if (!d.reply) d.reply = policy::exo::replies::starttls_ready();  // TLS must not start
    } else if (d.kind == Decision::Kind::proceed && d.reply && d.reply->code != 220) {
        d.kind = Decision::Kind::reject;
    }
    return expect(Step::starttls, sc, std::move(d));
}

// A scripted refusal answers the AUTH command itself; a scripted success is given once the client
// has completed the exchange, so the client still sends its credentials (which the verdicts judge).
// The rule's other effects apply to the first reply to AUTH (the first 334 challenge, or the outcome).
Decision ScriptPolicy::on_auth_start(const core::SessionState& s, std::string_view mechanism) {
    auth_reply_.reset();
    const Scripted sc = script(Step::auth, s);
    if (sc.reply && sc.reply->positive()) {
        auth_reply_ = sc.reply;
        return expect(Step::auth, sc, Decision::ok(), false);
    }
    return expect(Step::auth, sc, sc.reply ? decided(sc) : inner_->on_auth_start(s, mechanism), false);
}

Decision ScriptPolicy::on_auth(const core::SessionState& s, const core::Credentials& c) {
    if (auth_reply_) return Decision::ok_with(*std::exchange(auth_reply_, std::nullopt));
    return inner_->on_auth(s, c);
}

Decision ScriptPolicy::on_mail(const core::SessionState& s, const core::Path& p, const core::MailParams& m) {
    const Scripted sc = script(Step::mail, s);
    return expect(Step::mail, sc, sc.reply ? decided(sc) : inner_->on_mail(s, p, m));
}

Decision ScriptPolicy::on_rcpt(const core::SessionState& s, const core::Path& p, const core::RcptParams& r) {
    const Scripted sc = script(Step::rcpt, s, p.str());
    return expect(Step::rcpt, sc, sc.reply ? decided(sc) : inner_->on_rcpt(s, p, r));
}

Decision ScriptPolicy::on_data(const core::SessionState& s) {
    const Scripted sc = script(Step::data, s);
    mid_data_alert_.reset();
    if (sc.action) {
        std::visit(core::Overloaded{
                       [](const effect::None&) {},
                       [](const effect::Close&) {},  // applied to the reply by ReplyScript
                       [](const effect::Stall&) {},  // applied to the reply by ReplyScript
                       [](const effect::Reset&) {},  // applied to the reply by ReplyScript
                       [](const effect::HalfClose&) {},  // applied to the reply by ReplyScript
                       [&](const effect::TlsAlert& t) { mid_data_alert_ = t.alert; },
                   },
                   sc.action->effect);
    }
    return expect(Step::data, sc, sc.reply ? decided(sc) : inner_->on_data(s));
}

// The first content after the 354 meets the alert a rule on data scheduled.
Decision ScriptPolicy::on_message_data(const core::SessionState& s, std::uint64_t received) {
    if (mid_data_alert_) return Decision::tls_abort(*std::exchange(mid_data_alert_, std::nullopt));
    return inner_->on_message_data(s, received);
}

// A scripted 2xx is given after the store made the message durable (message_accepted); a
// scripted refusal answers before anything is stored.
Decision ScriptPolicy::on_message(const core::SessionState& s, std::string_view content) {
    message_reply_.reset();
    const Scripted sc = script(Step::end_of_data, s);
    if (sc.reply && sc.reply->positive()) {
        message_reply_ = sc.reply;
        return expect(Step::end_of_data, sc, Decision::ok(), false);
    }
    return expect(Step::end_of_data, sc, sc.reply ? decided(sc) : inner_->on_message(s, content), false);
}

Reply ScriptPolicy::message_accepted(const core::SessionState& s, std::string_view content, std::string_view id) {
    if (message_reply_) return *std::exchange(message_reply_, std::nullopt);
    return inner_->message_accepted(s, content, id);
}

Decision ScriptPolicy::on_quit(const core::SessionState& s) {
    const Scripted sc = script(Step::quit, s);
    return expect(Step::quit, sc, sc.reply ? decided(sc) : inner_->on_quit(s));
}

Decision ScriptPolicy::on_rset(const core::SessionState& s) {
    const Scripted sc = script(Step::rset, s);
    return expect(Step::rset, sc, sc.reply ? decided(sc) : inner_->on_rset(s));
}

Reply ScriptPolicy::noop(const core::SessionState& s) const {
    const Scripted sc = script(Step::noop, s);
    Reply reply = sc.reply ? *sc.reply : inner_->noop(s);
    if (!sc.closes) {
        expect(Step::noop, sc, Decision::ok_with(reply));
        return reply;
    }
    // NOOP answers with a Reply, not a Decision: a closing scripted reply closes through ReplyScript.
    Action closing = *sc.action;
    closing.effect = effect::Close{};
    session_->expect({Step::noop, reply, closing});
    return reply;
}

// Recorded so that ReplyScript recognises engine error replies and never applies a rule to them.
Reply ScriptPolicy::protocol_error(const core::SessionState& s, core::ProtocolError e) const {
    Reply reply = inner_->protocol_error(s, e);
    session_->expect({std::nullopt, reply, std::nullopt});
    return reply;
}

}  // namespace exosim::scenario
