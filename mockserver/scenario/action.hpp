#pragma once
// What the server does at a scripted step: a reply part (which reply, and how its bytes are shaped
// on the wire) plus exactly one effect on the connection. The effect is a closed std::variant:
// every consumer dispatches it with std::visit, so a new effect does not compile until the
// decoder's key table (action_keys.cpp), ScriptPolicy and ReplyScript all handle it.
// Plain data, immutable once loaded.
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/actions.hpp"

namespace exosim::scenario {

// The reply and its shaping. Every field is optional; none given: the profile's reply, as is.
struct ReplyPart {
    std::optional<std::string> text;       // `reply`: full reply text incl. code, e.g. "451 4.3.0 try later";
                                           // several lines joined with \n become a multi-line reply
    // The scripted reply ends the session (Decision::close_with). Set by the decoder from the
    // scenario language's rule "421 closes" (RFC 5321 3.8), never read from the code afterwards.
    bool closes = false;
    std::optional<std::string> raw;        // exact bytes instead of the reply (malformed replies)
    std::optional<std::string> append_raw; // bytes appended in the same write after the reply
    std::vector<std::size_t> split_at;     // write the reply in pieces at these offsets
    std::size_t split_every = 0;           // write the reply in pieces of this many bytes (CC-12); 0: off
    std::chrono::milliseconds delay{0};    // wait before replying
    bool dropped = false;                  // `no_reply`: nothing is sent for the reply

    // The bytes on the wire differ from the rendered reply.
    bool reshaped() const { return raw || append_raw || dropped || !split_at.empty() || split_every > 0; }
};

namespace effect {
struct None {};
struct Close {};  // close after the reply (or instead of it, when dropped)
struct Stall {};  // never answer again; keep the connection open until the client or the deadline ends it
// The connection ends with a reset (RST) after the reply (or instead of it, when dropped).
struct Reset {};
// The server's sending side is shut (FIN) after the reply; it keeps reading until the client
// closes or the deadline, sending nothing more.
struct HalfClose {};
// On `data`: once the 354 went out, end TLS with this fatal alert while the client streams the
// message (TLS 1.3 sessions; see transport/session_tls.cpp).
struct TlsAlert { core::TlsAlert alert = core::TlsAlert::internal_error; };
}  // namespace effect

using Effect = std::variant<effect::None, effect::Close, effect::Stall, effect::TlsAlert, effect::Reset, effect::HalfClose>;

struct Action {
    ReplyPart reply;
    Effect effect;

    // Needs ReplyScript: something a policy Decision cannot express.
    bool rewrites() const {
        return reply.reshaped() || reply.delay.count() > 0 || !std::holds_alternative<effect::None>(effect);
    }
};

}  // namespace exosim::scenario
