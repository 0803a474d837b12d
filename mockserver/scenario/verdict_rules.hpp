#pragma once
// Internal to the verdict engine: what every rule sees and the helpers rules share. Rules are
// split by theme into verdict_rules_<theme>.cpp; the catalogue in verdict.cpp lists them all.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/client_view.hpp"
#include "scenario/verdict.hpp"

namespace exosim::scenario::rules {

struct Context {
    const Scenario& scenario;
    const Trace& trace;
    const JudgeOptions& options;
    std::vector<ClientView> views;      // one per connection, same order as trace.connections
    Outcome outcome = Outcome::aborted;

    // The client was asked for STARTTLS or implicit TLS: nothing may travel in plaintext.
    bool tls_required() const;
};

// How one connection ended: the reply that decided it, or the request left pending. A
// connection the server dropped while a request was pending is a temporary failure (RFC 5321
// 4.5.3.2.6, RFC 1047: deferred); one the client closed while waiting was abandoned (aborted).
struct ConnectionEnd {
    Outcome outcome = Outcome::aborted;
    const ServerReply* reply = nullptr;  // the deciding reply; nullptr when pending or nothing happened
    const Marker* close = nullptr;       // the first close marker
    std::string pending;                 // request left unanswered: "greeting", "MAIL", "end of data"
    Millis pending_since{0};
};
ConnectionEnd connection_end(const ClientView& view);

// Evidence: "C 0.120s [plain] AUTH LOGIN", prefixed "#2 " from the second connection on. SASL
// responses and AUTH initial responses are replaced by their length: reports get published.
std::string quote(const Context& c, std::size_t conn, const ClientLine& line);
std::string quote(const Context& c, std::size_t conn, const ServerReply& reply);
std::string quote(const Context& c, std::size_t conn, const Marker& marker);
std::string quote_text(const Context& c, std::size_t conn, char dir, Millis t, bool tls, std::string_view text);
// Quotes kept per finding; the message says how many more there were.
inline constexpr std::size_t max_quotes = 6;

Finding pass(std::string_view rule, std::string message, std::vector<std::string> quotes = {});
Finding fail(std::string_view rule, std::string message, std::vector<std::string> quotes);
Finding skipped(std::string_view rule, std::string reason);
// Appends up to max_quotes.
void add_quote(std::vector<std::string>& quotes, std::string q);

// The EHLO reply in force when line `index` was sent: the latest well-formed 250 answering an
// EHLO in the same TLS state, after the last TLS upgrade (RFC 3207 4.2). nullptr when none.
const ServerReply* capabilities_for(const ClientView& view, std::size_t index);
// Whole-token, case-insensitive keyword match on EHLO lines (CC-29: XSTARTTLS is not STARTTLS).
bool has_keyword(const ServerReply& ehlo, std::string_view keyword);
// AUTH mechanisms from "AUTH A B" and the legacy "AUTH=A B" lines, upper-cased.
std::vector<std::string> auth_mechanisms(const ServerReply& ehlo);
std::string seconds(Millis t);          // "0.120s"
bool is_envelope(core::Verb verb);      // MAIL, RCPT, DATA, BDAT
// The first tls_started marker of a view, or nullptr.
const Marker* tls_start(const ClientView& view);

// TLS and STARTTLS (verdict_rules_tls.cpp)
Finding starttls_before_credentials(const Context& c);
Finding no_plaintext_mail(const Context& c);
Finding ehlo_after_tls(const Context& c);
Finding aborts_on_invalid_certificate(const Context& c);
Finding tls_version(const Context& c);
Finding no_starttls_loop(const Context& c);
// Credentials and capabilities (verdict_rules_auth.cpp)
Finding no_plaintext_credentials(const Context& c);
Finding post_tls_capabilities_only(const Context& c);
Finding no_response_injection_use(const Context& c);
// Envelope, pipelining, replies (verdict_rules_envelope.cpp)
Finding no_pregreet(const Context& c);
Finding pipelining_only_when_offered(const Context& c);
Finding body_after_354(const Context& c);
Finding stops_after_5xx(const Context& c);
Finding quit_at_end(const Context& c);
// What the client sent as the message (verdict_rules_data.cpp)
Finding dot_stuffing(const Context& c);
Finding crlf_only(const Context& c);
Finding line_length(const Context& c);
Finding single_end_of_data(const Context& c);
// Message content (verdict_rules_message.cpp)
Finding rfc5322_headers(const Context& c);
Finding attachment_intact(const Context& c);
Finding same_message_id_on_retry(const Context& c);
// OAuth: the sign-in service (verdict_rules_oauth.cpp); only in scenarios with an identity:
// section or send.token none, skipped elsewhere.
bool oauth_scenario(const Context& c);
Finding token_authority(const Context& c);
Finding token_scope(const Context& c);
Finding oauth_flow(const Context& c);
Finding device_code_polling(const Context& c);
Finding outage_backoff(const Context& c);
Finding invalid_grant_stops(const Context& c);
// OAuth on SMTP (verdict_rules_oauth_smtp.cpp)
Finding refresh_before_expiry(const Context& c);
Finding refresh_once_after_535(const Context& c);
Finding newest_refresh_token(const Context& c);
Finding xoauth2_user_matches_token(const Context& c);
Finding no_password_when_oauth_only(const Context& c);
Finding secrets_only_in_tls(const Context& c);
// Retries and timeouts (verdict_rules_retry.cpp)
Finding retries_after_4xx_bounded(const Context& c);
Finding timeouts(const Context& c);

}  // namespace exosim::scenario::rules
