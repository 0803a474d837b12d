#pragma once
// THE catalogue of RFC baseline reply texts: the engine's default answers (used when a policy
// decision carries no reply) and the RFC policy's texts. Exchange Online's texts live in
// policy/exchange_online/replies.*; every text here cites the RFC section it follows.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/reply.hpp"
#include "core/session_policy.hpp"

namespace exosim::core::rfc_replies {

// The RFC text for every engine-detected protocol error (one row per ProtocolError).
Reply protocol_error(ProtocolError e);

// ---- Engine defaults (the reply a step gets when the policy's decision names none) -------------
// RFC 5321 4.2: the default greeting.
Reply service_ready();
// ../shared/reference/security-tests.md SR-23 (connection flood; Postfix anvil): a connection over
// a concurrency limit gets "421 4.7.0" before the greeting. The transport sends it for every
// profile, before any policy exists; Exchange's own text for this is not evidenced
// (exchange-online-smtp.md open question 15), so the RFC baseline wording serves all.
Reply too_many_connections();
// RFC 5321 4.1.1.2 / RFC 3463 2.1.0.
Reply sender_ok();
// RFC 5321 4.1.1.3 / RFC 3463 2.1.5.
Reply recipient_ok();
// RFC 5321 4.1.1.4: 354 with the terminator spelled out.
Reply start_mail_input();
// RFC 5321 4.1.1.5 (RSET) and 4.1.1.9 (NOOP): 250 OK.
Reply ok();
// RFC 5321 3.5.3: 252 when the server will not verify but will accept.
Reply cannot_vrfy();
// RFC 5321 4.1.1.10: 221 on QUIT.
Reply service_closing();
// RFC 3207 4: 220 before the TLS handshake.
Reply ready_to_start_tls();
// RFC 4954 6: 235 2.7.0 after a successful exchange.
Reply auth_successful();
// RFC 4954 6: 535 5.7.8 for rejected credentials.
Reply auth_credentials_invalid();
// RFC 3030 2: 250 for a BDAT chunk that is not the last.
Reply chunk_received(std::uint64_t octets);

// ---- RFC policy texts (they name the host) ------------------------------------------------------
// RFC 5321 4.2: "220 <host> ESMTP ..." greeting.
Reply greeting(std::string_view host);
// RFC 5321 4.1.1.1: the first EHLO line ("<host> Hello <client>").
std::string hello_line(std::string_view host, std::string_view client_name);
// RFC 5321 4.1.1.10: 221 naming the host.
Reply service_closing(std::string_view host);
// RFC 3207 4: "530 5.7.0 Must issue a STARTTLS command first".
Reply starttls_first();
// RFC 5321 4.2.2 / RFC 3463 2.0.0: end of data, queued under `id`.
Reply queued_as(std::string_view id);
// RFC 5321 4.1.1.8: 214 help text.
Reply help();

}  // namespace exosim::core::rfc_replies
