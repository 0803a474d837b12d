#pragma once
// Everything an Exchange Online policy reads: the tenant directory, the clock, the cross-session
// submission state, the token verifier, and the settings for every value the reference could not
// confirm. Built once by the app from config and captured by sessions as shared_ptr<const ...>.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "policy/clock.hpp"
#include "policy/exchange_online/replies.hpp"
#include "policy/tenant.hpp"
#include "policy/throttle.hpp"
#include "policy/token.hpp"

namespace exosim::policy::exo {

// Where the 432 4.3.2 of the 4th concurrent session is given (§11 [DOC] names no stage).
enum class ThreadLimitStage { end_of_data, mail };
// §13.4: per-RCPT 452 4.5.3 or the NDR-style 550 5.5.3 RESOLVER.ADR.RecipLimit.
enum class RecipientLimitReply { per_rcpt_452, ndr_550 };
// exo-465: Microsoft's port 465 times out (§1 [WIRE]); the transport implements these.
enum class ImplicitTlsBehaviour {
    silent,  // accept, never answer (default: what devices see against Microsoft)
    refuse,  // close the TCP connection at once
    serve,   // complete implicit TLS and run exo-submission (lab convenience, not Microsoft's behaviour)
};

// ------------------------------------------------------------------------------------------------
// Values the reference marks unconfirmed (§13), with the default used and where to change it
// (YAML section `exchange:` unless noted; the README copies this table):
//   config key                    default        source / note
//   mx_banner_session_id          true           §13.1 tenant MX banner carries "[session id]" (seen on consumer MX)
//   (fixed)                       -              §13.1 MX EHLO after TLS drops STARTTLS, never offers AUTH
//   too_many_recipients_reply     per_rcpt_452   §13.4 "452 4.5.3 Too many recipients" per RCPT (alt: ndr_550 = 550 5.5.3)
//   max_message_size              157286400      §13.5 over it: "552 5.3.4 Message size exceeds fixed maximum message size"
//   limits.messages_per_minute    30             §13.6 excess delayed: 250 given, deliver_after annotated, no wire reply
//   tenants[].settings.external_relay_reply
//                                 tenant_attribution  §13.7 external direct send: 550 5.7.64 (alt: relay_access_denied
//                                                5.4.1, unable_to_relay 5.7.54); also relay with a foreign sender (INFER)
//   (fixed)                       RCPT           §13.7 stage of 550 5.7.68 RejectDirectSend (3P: "at RCPT TO")
//   (fixed)                       with suffix    §13.8 mailbox 5.7.139: "Visit https://aka.ms/smtp_auth_disabled ..." + bracket
//   tenants[].settings.basic_auth_retired
//                                 false          §13.9 550 5.7.30: documentation text + bracket, never seen on the wire
//   xoauth2_case_sensitive        false          §13.11 "auth xoauth2" in lower case accepted (MS sample)
//   thread_limit_stage            end_of_data    432 4.3.2 is a STOREDRV (store submission) reply (alt: mail)
//   legacy_tls_refuse_at_ehlo     false          421 4.7.66 seen as the reply to AUTH (javax AuthenticationFailed);
//                                                given at the first AUTH or MAIL after a TLS 1.0/1.1 handshake
//   (fixed)                       AUTH           exo-legacy: tenant known only after AUTH, so 421 4.7.66 comes at AUTH
//                                                when the mailbox's tenant has not set allow_legacy_tls
//   auth_tarpit                   5 (seconds)    §0 ~5 s before every 535 (0 in tests)
//   limits.lockout_threshold / limits.lockout_duration
//                                 10 / 60 s      smart lockout (INFER)
//   reject_missing_from           false          550 5.7.512 stage unconfirmed (NDR table only)
//   normalize_bare_lf             true           INFER: Exchange accepts bare LF
//   implicit_tls                  silent         §1 [WIRE] port 465 times out; refuse / serve for labs
//   (stored copy) Received field  INFER          shape of wire examples; build "id 15.20..." omitted, OpenSSL cipher name
// ------------------------------------------------------------------------------------------------
struct ExoSettings {
    // Front end serving smtp.office365.com (§0 [WIRE] examples).
    NodeIdentity frontend{"SY5P282CA0097", "AUSP282", "PROD.OUTLOOK.COM"};
    std::string frontend_domain = "outlook.office365.com";
    // Mailbox server named in "[Hostname=...]" of the 250 and in generated Message-IDs (§5 [WIRE]).
    NodeIdentity mailbox_server{"SYBP282MB2635", "AUSP282", "PROD.OUTLOOK.COM"};
    // EOP node of the MX (§0: newer PEPF style; the bracket suffix is lower case on the wire).
    NodeIdentity mx_frontend{"SG2PEPF000B66CE", "apcprd03", "prod.outlook.com"};
    std::string mx_domain = "mail.protection.outlook.com";
    NodeIdentity mx_mailbox_server{"TYZPR06MB6239", "apcprd06", "prod.outlook.com"};

    BracketStyle bracket_style = BracketStyle::current;
    bool banner_session_id = true;     // §0 [WIRE] since 2024/2025
    bool mx_banner_session_id = true;  // §13.1
    std::uint64_t max_message_size = 157286400;  // §3 [WIRE] SIZE 157286400

    std::chrono::milliseconds auth_tarpit{5000};  // §0 [WIRE timing]
    bool legacy_tls_refuse_at_ehlo = false;
    bool xoauth2_case_sensitive = false;
    ThreadLimitStage thread_limit_stage = ThreadLimitStage::end_of_data;
    RecipientLimitReply too_many_recipients_reply = RecipientLimitReply::per_rcpt_452;
    bool reject_missing_from = false;
    bool normalize_bare_lf = true;
    std::size_t mx_max_recipients_per_domain = 200;  // §11 [DOC] "more than 200 ... 4.5.3"
    double mx_reported_transfer_seconds = 0.132;     // the "bytes in <s>" figure of the MX 250
    ImplicitTlsBehaviour implicit_tls = ImplicitTlsBehaviour::silent;
};

struct ExoEnvironment {
    std::shared_ptr<const Directory> directory;
    std::shared_ptr<const Clock> clock;
    // Shared by all submission sessions (exo-submission, exo-legacy, exo-465) of the process.
    std::shared_ptr<SubmissionState> submission;
    std::shared_ptr<const TokenVerifier> tokens;
    ExoSettings settings;
};
// The name the app layer uses (app/exchange_runtime.hpp).
using Environment = ExoEnvironment;

// A complete environment: default_directory() unless given, RealClock unless given, a fresh
// SubmissionState with default limits, and `tokens` as the XOAUTH2 verifier (null: every token is
// refused, "no token verifier configured").
std::shared_ptr<const ExoEnvironment> make_environment(std::shared_ptr<const TokenVerifier> tokens = nullptr,
                                                       std::shared_ptr<const Clock> clock = nullptr,
                                                       std::shared_ptr<const Directory> directory = nullptr,
                                                       ExoSettings settings = {}, ThrottleLimits limits = {});

}  // namespace exosim::policy::exo
