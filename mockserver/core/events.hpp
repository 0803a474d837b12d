#pragma once
// Typed session events. The transport stamps time and records bytes; the engine reports meaning.
#include <string>
#include <variant>

#include "command.hpp"
#include "reply.hpp"

namespace exosim::core {

enum class Phase { greeting, ready, mail, rcpt, data, bdat, auth, tls_pending, store_pending, closed };
std::string_view phase_name(Phase p);

struct PhaseChanged { Phase from; Phase to; };
struct CommandReceived { Verb verb; std::string line; };  // AUTH secrets already redacted
struct ReplyProduced { Reply reply; };
// The client misbehaved; `rule` names it (e.g. "bare-lf", "pipelining-unadvertised", "starttls-plaintext-injection").
struct Finding { std::string rule; std::string detail; };
struct TlsRequested {};
struct AuthResult { std::string mechanism; std::string identity; bool success; };
struct MessageReceived { std::size_t size; std::size_t recipients; };

using Event = std::variant<PhaseChanged, CommandReceived, ReplyProduced, Finding, TlsRequested, AuthResult,
                           MessageReceived>;

}  // namespace exosim::core
