#pragma once
// What the engine asks its transport to do, in order.
#include <chrono>
#include <string>
#include <string_view>
#include <variant>

#include "envelope.hpp"
#include "reply.hpp"

namespace exosim::core {

struct SendReply { Reply reply; };
// Raw bytes (scripted faults: malformed replies, injection). Sent verbatim.
struct SendRaw { std::string bytes; };
// Wait before executing the next action (AUTH tarpit, scripted delays). Core owns no clock.
struct Pause { std::chrono::milliseconds duration{0}; };
// Begin the TLS handshake on the connection; answer with Engine::tls_established/tls_failed.
struct StartTls {};
// Persist the message; answer with Engine::message_stored. The engine accepts no input until then.
// `content` is what the policy wants stored (SessionPolicy::stored_content), `annotations_json` its
// JSON object of annotations for the stored metadata.
struct StoreMessage {
    Envelope envelope;
    std::string content;
    std::string annotations_json = "{}";
};
// Close the connection after everything before it was sent. `how` is a scripted fault's choice
// (fuzz-client connection events): an orderly FIN, a reset (RST: SO_LINGER 0), or a half-close
// (FIN on the sending side only, then reading until the client leaves, as a stall does).
enum class CloseHow { fin, reset, half_close };
struct Close { CloseHow how = CloseHow::fin; };
// Stop answering but keep the connection open until the client gives up or the deadline (scripted stall).
struct Stall {};
// End the TLS session with a fatal alert (RFC 8446 6.2) instead of a reply (scripted fault);
// a Close follows. Core names the alert; the transport sends it.
enum class TlsAlert { internal_error };
constexpr std::string_view tls_alert_name(TlsAlert) { return "internal_error"; }
struct SendTlsAlert { TlsAlert alert = TlsAlert::internal_error; };

using Action = std::variant<SendReply, SendRaw, Pause, StartTls, StoreMessage, Close, Stall, SendTlsAlert>;

}  // namespace exosim::core
