#pragma once
// What ScriptPolicy (which decides) hands to ReplyScript (which shapes the bytes) for one connection.
// ScriptPolicy records every reply it expects the engine to produce, in order: one per scripted
// step occurrence (with the matched rule's effects a Decision cannot carry) and one per protocol
// error it worded. ReplyScript pairs the engine's replies with these records, so with pipelined
// input the bytes scripted for the second RCPT land on the second RCPT's reply, and an engine
// error reply (501 to a malformed RCPT) never takes a rule meant for a well-formed one.
// Both sides live in the same connection coroutine, so no locking.
#include <cstddef>
#include <deque>
#include <optional>

#include "core/reply.hpp"
#include "scenario/model.hpp"

namespace exosim::scenario {

struct PendingReply {
    std::optional<Step> step;          // nullopt: a protocol error the engine detected
    std::optional<core::Reply> reply;  // the reply decided; nullopt: the engine's default for the step
    std::optional<Action> action;      // the rule, when ReplyScript must apply it (Action::rewrites); nullopt: none
};

struct ScriptSession {
    // Bounds the records when nothing consumes them (a transport without ReplyScript).
    static constexpr std::size_t max_pending = 256;

    unsigned attempt = 1;               // from Cursor::begin_connection()
    bool rewrites = false;              // some rule has effects beyond its reply: records are kept
    std::deque<PendingReply> pending;   // in the order the engine will send the replies

    void expect(PendingReply p) {
        if (!rewrites) return;
        if (pending.size() == max_pending) pending.pop_front();
        pending.push_back(std::move(p));
    }
};

}  // namespace exosim::scenario
