#pragma once
// What ScriptPolicy (which decides) hands to ReplyScript (which shapes the bytes) for one connection:
// the parts of matched rules that a core::Decision cannot express. Both live in the same connection
// coroutine, so no locking.
#include <deque>
#include <optional>

#include "core/reply.hpp"
#include "scenario/model.hpp"

namespace exosim::scenario {

struct PendingAction {
    Step step = Step::any;             // the step whose reply this applies to
    std::optional<core::Reply> reply;  // the reply the policy decided, to recognise it; nullopt: any reply of the step
    Action action;                     // raw, append_raw, split, delay, close, stall, no_reply
};

struct ScriptSession {
    unsigned attempt = 1;                // from Cursor::begin_connection()
    std::deque<PendingAction> pending;   // in the order the policy matched them (= the reply order)
};

}  // namespace exosim::scenario
