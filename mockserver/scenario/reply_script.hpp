#pragma once
// Sans-I/O rewriting of one connection's engine actions by the scenario script: the parts of rules
// that a policy Decision cannot express. Sits between Engine::take_actions() and their execution:
//
//     auto events = engine.take_events();
//     for (auto& a : script.rewrite(events, engine.take_actions())) co_await execute(a);
//
// Each SendReply is attributed to a step from the events of the same batch (the command that
// preceded its ReplyProduced; the greeting before any command; end_of_data after MessageReceived)
// and paired with the next PendingReply ScriptPolicy recorded for that step (or, for an engine
// error, for that exact reply); the matched rule's effects recorded there are applied to it:
//   raw          the bytes sent instead of the rendered reply;
//   append_raw   bytes appended in the same SendRaw, so they leave in one write (CC-04);
//   split_at / split_every   the bytes as several SendRaw with split_pause between (CC-12);
//   delay        a Pause before the reply;
//   no_reply     nothing sent for the reply (append_raw still is);
//   close        Close after the reply, and nothing more from this connection;
//   stall        Stall instead of the reply, and nothing more sent from this connection;
//   reset        Close{reset} after the reply (RST), and nothing more;
//   half_close   Close{half_close} after the reply (FIN, then reading on), and nothing more.
#include <memory>
#include <optional>
#include <vector>

#include "core/actions.hpp"
#include "core/events.hpp"
#include "scenario/script_session.hpp"

namespace exosim::scenario {

// Pieces of a split reply are separated by this pause so they leave in separate TCP segments
// (the transport sets TCP_NODELAY), which the client then reads separately most of the time.
inline constexpr std::chrono::milliseconds split_pause{20};

class ReplyScript {
public:
    explicit ReplyScript(std::shared_ptr<ScriptSession> session) : session_(std::move(session)) {}

    // `events`: the engine's take_events() of the same batch, taken before its take_actions().
    std::vector<core::Action> rewrite(const std::vector<core::Event>& events, std::vector<core::Action> actions);

    bool stalled() const { return stalled_; }
    bool closed() const { return closed_; }

private:
    std::vector<std::optional<Step>> reply_steps(const std::vector<core::Event>& events);
    std::optional<Action> take_pending(std::optional<Step> step, const core::Reply& reply);
    void apply(const Action& a, core::SendReply reply, std::vector<core::Action>& out);
    // After a stall only what keeps the engine's bookkeeping honest leaves (store, close).
    void after_stall(core::Action a, std::vector<core::Action>& out) const;

    std::shared_ptr<ScriptSession> session_;
    std::optional<Step> step_ = Step::greeting;  // nullopt: a command that no rule can name (VRFY, HELP, ...)
    bool stalled_ = false;
    bool closed_ = false;
};

}  // namespace exosim::scenario
