// Rewriting of SendReply actions into scripted bytes (security-tests.md (c) item 2).
#include "scenario/reply_script.hpp"

#include <type_traits>

#include "core/overloaded.hpp"

namespace exosim::scenario {

namespace {

std::optional<Step> step_of(core::Verb v) {
    switch (v) {
        case core::Verb::ehlo: return Step::ehlo;
        case core::Verb::helo: return Step::helo;
        case core::Verb::starttls: return Step::starttls;
        case core::Verb::auth: return Step::auth;
        case core::Verb::mail: return Step::mail;
        case core::Verb::rcpt: return Step::rcpt;
        case core::Verb::data: return Step::data;
        case core::Verb::bdat: return Step::bdat;
        case core::Verb::rset: return Step::rset;
        case core::Verb::quit: return Step::quit;
        case core::Verb::noop: return Step::noop;
        default: return std::nullopt;
    }
}

std::vector<std::size_t> split_points(const ReplyPart& r, std::size_t size) {
    std::vector<std::size_t> points;
    if (r.split_every > 0) {
        for (std::size_t at = r.split_every; at < size; at += r.split_every) points.push_back(at);
    }
    for (std::size_t at : r.split_at) {
        if (at < size) points.push_back(at);
    }
    return points;
}

// The reply as the rule shapes it: as is, or its bytes (raw, appended, dropped, split).
void shape_reply(const ReplyPart& r, core::SendReply reply, std::vector<core::Action>& out) {
    if (!r.reshaped()) {
        out.emplace_back(std::move(reply));
        return;
    }
    std::string bytes = r.dropped ? std::string{} : r.raw ? *r.raw : reply.reply.render();
    if (r.append_raw) bytes += *r.append_raw;
    std::size_t from = 0;
    for (std::size_t at : split_points(r, bytes.size())) {
        out.emplace_back(core::SendRaw{bytes.substr(from, at - from)});
        out.emplace_back(core::Pause{split_pause});
        from = at;
    }
    if (from < bytes.size()) out.emplace_back(core::SendRaw{bytes.substr(from)});
}

}  // namespace

// Steps of this batch's replies, in order; the current step carries over between batches (the
// reply to the final dot comes in the batch after StoreMessage).
std::vector<std::optional<Step>> ReplyScript::reply_steps(const std::vector<core::Event>& events) {
    std::vector<std::optional<Step>> steps;
    for (const core::Event& e : events) {
        if (const auto* c = std::get_if<core::CommandReceived>(&e)) step_ = step_of(c->verb);
        if (std::holds_alternative<core::MessageReceived>(e)) step_ = Step::end_of_data;
        if (std::holds_alternative<core::ReplyProduced>(e)) steps.push_back(step_);
    }
    return steps;
}

// Pairs the reply with its record and returns the rule effects to apply, if any. Records ahead
// of the pair belong to replies the engine never sent (a protocol error worded but not used) and
// are dropped. A reply with no record (AUTH challenges after the first, BDAT chunks, HELP) passes.
std::optional<Action> ReplyScript::take_pending(std::optional<Step> step, const core::Reply& reply) {
    auto& q = session_->pending;
    for (auto it = q.begin(); it != q.end(); ++it) {
        const bool same_reply = it->reply && *it->reply == reply;
        const bool pairs = it->step ? (it->step == step && (!it->reply || same_reply)) : same_reply;
        if (pairs) {
            std::optional<Action> action = std::move(it->action);
            q.erase(q.begin(), it + 1);
            return action;
        }
    }
    return std::nullopt;
}

void ReplyScript::apply(const Action& a, core::SendReply reply, std::vector<core::Action>& out) {
    if (a.reply.delay.count() > 0) out.emplace_back(core::Pause{a.reply.delay});
    std::visit(core::Overloaded{
                   [&](const effect::None&) { shape_reply(a.reply, std::move(reply), out); },
                   [&](const effect::Close&) {
                       shape_reply(a.reply, std::move(reply), out);
                       out.emplace_back(core::Close{});
                       closed_ = true;
                   },
                   [&](const effect::Stall&) {
                       out.emplace_back(core::Stall{});
                       stalled_ = true;
                   },
                   [&](const effect::Reset&) {
                       shape_reply(a.reply, std::move(reply), out);
                       out.emplace_back(core::Close{core::CloseHow::reset});
                       closed_ = true;
                   },
                   [&](const effect::HalfClose&) {
                       shape_reply(a.reply, std::move(reply), out);
                       out.emplace_back(core::Close{core::CloseHow::half_close});
                       closed_ = true;
                   },
                   // The reply (354) goes out as shaped; the policy sends the alert mid-DATA.
                   [&](const effect::TlsAlert&) { shape_reply(a.reply, std::move(reply), out); },
               },
               a.effect);
}

// After a stall only what keeps the engine's bookkeeping honest leaves (store, close).
void ReplyScript::after_stall(core::Action a, std::vector<core::Action>& out) const {
    const bool keep = std::visit(core::Overloaded{
                                     [](const core::StoreMessage&) { return true; },
                                     [](const core::Close&) { return true; },
                                     [](const core::SendReply&) { return false; },
                                     [](const core::SendRaw&) { return false; },
                                     [](const core::Pause&) { return false; },
                                     [](const core::StartTls&) { return false; },
                                     [](const core::Stall&) { return false; },
                                     [](const core::SendTlsAlert&) { return false; },
                                 },
                                 a);
    if (keep) out.push_back(std::move(a));
}

std::vector<core::Action> ReplyScript::rewrite(const std::vector<core::Event>& events,
                                               std::vector<core::Action> actions) {
    const auto steps = reply_steps(events);
    std::size_t reply_index = 0;
    std::vector<core::Action> out;
    for (core::Action& action : actions) {
        if (closed_) break;
        if (stalled_) {
            after_stall(std::move(action), out);
            continue;
        }
        // Only replies are rewritten; everything else keeps its place in the batch.
        core::SendReply* send = std::visit(core::Overloaded{
                                               [](core::SendReply& r) { return &r; },
                                               [](core::SendRaw&) -> core::SendReply* { return nullptr; },
                                               [](core::Pause&) -> core::SendReply* { return nullptr; },
                                               [](core::StartTls&) -> core::SendReply* { return nullptr; },
                                               [](core::StoreMessage&) -> core::SendReply* { return nullptr; },
                                               [](core::Close&) -> core::SendReply* { return nullptr; },
                                               [](core::Stall&) -> core::SendReply* { return nullptr; },
                                               [](core::SendTlsAlert&) -> core::SendReply* { return nullptr; },
                                           },
                                           action);
        if (send == nullptr) {
            out.push_back(std::move(action));
            continue;
        }
        // Without a ReplyProduced per SendReply the current step is the best attribution left.
        const std::optional<Step> step = reply_index < steps.size() ? steps[reply_index] : step_;
        ++reply_index;
        if (auto pending = take_pending(step, send->reply)) {
            apply(*pending, std::move(*send), out);
        } else {
            out.push_back(std::move(action));
        }
    }
    return out;
}

}  // namespace exosim::scenario
