#pragma once
// The session's hand-off of a message to the store, without Asio: the store either returns an id
// or fails, and a failure is never silent. It is logged with its cause and returned as a typed
// note for the session's events (the engine still answers 451 4.3.0, RFC 5321 4.2.2).
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "transport/transport_note.hpp"

namespace exosim::transport {

struct StoreOutcome {
    std::optional<std::string> id;             // set when the message is durable
    std::optional<note::StoreFailed> failure;  // set otherwise
};

// Runs `attempt` (MessageStore::store or a stand-in): nullopt means the write failed, and
// `write_error` says why; an exception is a bug or an exhausted resource and is caught here
// because the session must answer the client either way. Failures are logged to stderr with
// `session_id`.
StoreOutcome guarded_store(std::string_view session_id, const std::function<std::optional<std::string>()>& attempt,
                           const std::function<std::string()>& write_error);

}  // namespace exosim::transport
