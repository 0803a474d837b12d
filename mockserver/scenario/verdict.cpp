#include "scenario/verdict.hpp"

#include <algorithm>
#include <array>

#include "scenario/oauth_view.hpp"
#include "scenario/verdict_rules.hpp"

namespace exosim::scenario {

namespace {

using rules::Context;

struct RuleRow {
    RuleInfo info;
    Finding (*judge)(const Context&);
};

// One table: id, what it means, where it comes from, and the function that judges it.
const std::array<RuleRow, 35> catalogue{{
    {{"starttls-before-credentials", "STARTTLS completed before the first AUTH or envelope command", "RFC 3207 4; CC-01 CC-02 CC-07"}, rules::starttls_before_credentials},
    {{"no-plaintext-credentials", "no AUTH, SASL response or the password in plaintext when TLS is required", "RFC 4954 4; CC-01 CC-02 CC-06 CC-07"}, rules::no_plaintext_credentials},
    {{"no-plaintext-mail", "no MAIL, RCPT, DATA, BDAT or body in plaintext when TLS is required", "RFC 3207; CC-01 CC-02 CC-03"}, rules::no_plaintext_mail},
    {{"ehlo-after-tls", "the first command after a STARTTLS upgrade is EHLO (or QUIT)", "RFC 3207 4.2; CC-05"}, rules::ehlo_after_tls},
    {{"post-tls-capabilities-only", "AUTH mechanisms and extensions used were offered by the EHLO reply in force (after TLS: the post-TLS one)", "RFC 3207 4.2, RFC 5321 2.2.1; CC-04 CC-05 CC-06 CC-29"}, rules::post_tls_capabilities_only},
    {{"no-response-injection-use", "after the TLS upgrade nothing but EHLO/HELO/QUIT before the first reply inside TLS", "RFC 3207 4.2; CC-04"}, rules::no_response_injection_use},
    {{"aborts-on-invalid-certificate", "with an invalid server certificate no AUTH, envelope or body goes through TLS", "RFC 3207 4.1; CC-08"}, rules::aborts_on_invalid_certificate},
    {{"tls-version", "the negotiated TLS version, failed when below the expected floor", "RFC 8996; CC-09"}, rules::tls_version},
    {{"no-starttls-loop", "STARTTLS is sent at most once and never inside TLS", "RFC 3207 4.2; CC-30"}, rules::no_starttls_loop},
    {{"no-pregreet", "the client waits for the greeting before it speaks", "RFC 5321 3.1; CC-18"}, rules::no_pregreet},
    {{"pipelining-only-when-offered", "commands are sent before earlier replies only with PIPELINING, and never after EHLO/STARTTLS/AUTH", "RFC 2920 3.1; CC-18"}, rules::pipelining_only_when_offered},
    {{"body-after-354", "the message body is sent only after 354, and never as commands", "RFC 2920 3.1, RFC 5321 4.1.1.4; CC-18 CC-27"}, rules::body_after_354},
    {{"stops-after-5xx", "no further envelope or resend after a permanent 5xx (greeting, MAIL, all RCPT, end of data)", "RFC 5321 4.2.1; CC-11 CC-20 CC-26"}, rules::stops_after_5xx},
    {{"quit-at-end", "QUIT before closing after a completed transaction", "RFC 5321 4.1.1.10"}, rules::quit_at_end},
    {{"dot-stuffing", "every body line starting with '.' is stuffed", "RFC 5321 4.5.2; CC-23"}, rules::dot_stuffing},
    {{"crlf-only", "no bare CR or LF in commands, SASL responses or the body", "RFC 5321 2.3.8; CC-23 CC-24"}, rules::crlf_only},
    {{"line-length", "command lines <= 512 octets, AUTH lines <= 12288, body lines <= 1000, CRLF included", "RFC 5321 4.5.3.1.4/4.5.3.1.6, RFC 4954 4; CC-23"}, rules::line_length},
    {{"single-end-of-data", "each body ends with one CRLF.CRLF; no smuggling dot sequences, no second terminator", "RFC 5321 4.1.1.4; CC-23 CC-24 (SMTP smuggling)"}, rules::single_end_of_data},
    {{"rfc5322-headers", "Date, From and Message-ID present exactly once; From holds an address", "RFC 5322 3.6"}, rules::rfc5322_headers},
    {{"attachment-intact", "a MIME part with the expected filename decodes to the expected bytes", "RFC 2045/2183"}, rules::attachment_intact},
    {{"same-message-id-on-retry", "every attempt carries the same Message-ID", "RFC 5322 3.6.4; CC-21"}, rules::same_message_id_on_retry},
    {{"retries-after-4xx-bounded", "after a temporary failure: retried, within max_attempts, with growing non-zero backoff", "RFC 5321 4.5.4.1; CC-20 CC-21 CC-26"}, rules::retries_after_4xx_bounded},
    {{"timeouts", "informational: how long the client waited for a slow reply, against RFC 5321", "RFC 5321 4.5.3.2; CC-14 CC-22"}, rules::timeouts},
    {{"token-authority", "tokens come from the configured tenant's authority, for the registered client", "entra-id-oauth.md §2 §3; issue 13"}, rules::token_authority},
    {{"token-scope", "SMTP.Send + offline_access (delegated) or outlook.office365.com/.default (app-only)", "entra-id-oauth.md §2 §3; issue 13"}, rules::token_scope},
    {{"oauth-flow", "the client signs in with the flow the scenario expects", "entra-id-oauth.md §2; issue 13"}, rules::oauth_flow},
    {{"device-code-polling", "polls no faster than interval; stops at expired_token/authorization_declined/bad_verification_code and after success", "RFC 8628 3.4 3.5; entra-id-oauth.md §3"}, rules::device_code_polling},
    {{"outage-backoff", "after 5xx or a dropped connection from the token endpoint: bounded retries, honouring Retry-After", "RFC 9110 10.2.3; issue 13"}, rules::outage_backoff},
    {{"invalid-grant-stops", "after invalid_grant (700082, 50173, 70043): no further refresh attempts beyond one", "entra-id-oauth.md §4; issue 13"}, rules::invalid_grant_stops},
    {{"refresh-before-expiry", "no XOAUTH2 with an access token past its exp: refresh first", "entra-id-oauth.md §6; issue 13"}, rules::refresh_before_expiry},
    {{"refresh-once-after-535", "after 535 5.7.3 on XOAUTH2: one refresh and retry, no loop, never the same token again", "issue 13"}, rules::refresh_once_after_535},
    {{"newest-refresh-token", "each refresh presents the newest refresh token issued", "entra-id-oauth.md §6 (rotation)"}, rules::newest_refresh_token},
    {{"xoauth2-user-matches-token", "XOAUTH2 user= is the token's user (or a mailbox Exchange lets it send as)", "entra-id-oauth.md §5; issue 14"}, rules::xoauth2_user_matches_token},
    {{"no-password-when-oauth-only", "no AUTH LOGIN/PLAIN and no password grant from a client set up for OAuth", "issue 13"}, rules::no_password_when_oauth_only},
    {{"secrets-only-in-tls", "client secrets, refresh tokens and codes never in SMTP; access tokens only inside TLS", "RFC 6749 10.3 10.4; issue 13"}, rules::secrets_only_in_tls},
}};

const std::array<RuleInfo, 35> infos = [] {
    std::array<RuleInfo, 35> out{};
    for (std::size_t i = 0; i < catalogue.size(); ++i) out[i] = catalogue[i].info;
    return out;
}();

bool known_rule(std::string_view id) {
    return id == "outcome" || std::any_of(catalogue.begin(), catalogue.end(),
                                          [&](const RuleRow& r) { return r.info.id == id; });
}

struct Deciding {
    Outcome outcome = Outcome::aborted;
    std::optional<std::string> quote;
};

Deciding connection_outcome(const Context& c, std::size_t conn) {
    const rules::ConnectionEnd end = rules::connection_end(c.views[conn]);
    Deciding d{end.outcome, std::nullopt};
    if (end.reply) d.quote = rules::quote(c, conn, *end.reply);
    else if (end.close) d.quote = rules::quote(c, conn, *end.close);
    return d;
}

// The first connection of the last job (identity.jobs): a multi-job run is judged by its last
// job (the 90th day, the job after the key rotation); 0 for single-job runs.
std::size_t last_job_first_connection(const Context& c) {
    if (c.trace.job_starts.size() < 2) return 0;
    const Millis last = c.trace.job_starts.back();
    std::size_t i = 0;
    while (i < c.trace.connections.size() && c.trace.connections[i].start < last) ++i;
    return i;
}

// Delivered when any attempt (of the last job) got a 2xx to end of data; otherwise the last
// attempt decides.
Deciding decide_outcome(const Context& c) {
    const std::size_t first = last_job_first_connection(c);
    if (first > 0 && first == c.views.size()) return Deciding{Outcome::not_attempted, std::nullopt};
    for (std::size_t i = first; i < c.views.size(); ++i)
        for (const Body& b : c.views[i].bodies)
            if (b.reply && c.views[i].replies[*b.reply].code / 100 == 2)
                return {Outcome::delivered, rules::quote(c, i, c.views[i].replies[*b.reply])};
    return c.views.empty() ? Deciding{Outcome::not_attempted, std::nullopt} : connection_outcome(c, c.views.size() - 1);
}

Finding outcome_finding(const Deciding& d, const Expectation& expect) {
    Finding f = rules::pass("outcome", std::string(outcome_name(d.outcome)));
    if (d.quote) f.quotes.push_back(*d.quote);
    if (!expect.accepts(d.outcome)) {
        std::string expected(outcome_name(expect.outcome));
        for (Outcome o : expect.other_outcomes) expected += " or " + std::string(outcome_name(o));
        f.verdict = Verdict::fail;
        f.severity = Severity::error;
        f.as_expected = false;
        f.message = "outcome " + f.message + ", expected " + expected;
    }
    return f;
}

// `nothing_sent`: the run made no connection and that was an accepted outcome; a rule the
// scenario expects to pass then has nothing to judge, and skipped is as good as pass (CC-24).
void apply_expectation(Finding& f, const Expectation& expect, bool nothing_sent) {
    const auto it = expect.rules.find(f.rule);
    if (it != expect.rules.end()) {
        f.expected = it->second;
        f.as_expected = f.verdict == it->second ||
                        (nothing_sent && it->second == Verdict::pass && f.verdict == Verdict::skipped);
    } else {
        f.as_expected = f.verdict == Verdict::pass || f.verdict == Verdict::skipped;
    }
}

// No connection, and that was an accepted outcome. Not so when the client had to get its own
// token (`send.token: none`) and never asked the sign-in service either: it did nothing at all, and
// a rule expected to pass (token-authority on a declined device code, say) must not pass on
// nothing. Without this a client with no OAuth support passed those scenarios vacuously.
bool nothing_to_judge_is_right(const Context& c) {
    if (!c.views.empty() || !c.scenario.expect.accepts(Outcome::not_attempted)) return false;
    return !(c.scenario.send.token == "none" && !oauth::asked_for_token(c.trace));
}

}  // namespace

std::string_view severity_name(Severity s) {
    switch (s) {
    case Severity::info: return "info";
    case Severity::warning: return "warning";
    case Severity::error: return "error";
    }
    return "info";
}

const Finding* Findings::find(std::string_view rule) const {
    auto it = std::find_if(rules.begin(), rules.end(), [&](const Finding& f) { return f.rule == rule; });
    return it == rules.end() ? nullptr : &*it;
}

std::span<const RuleInfo> rule_catalogue() { return infos; }

Findings judge(const Scenario& scenario, const Trace& trace, const JudgeOptions& options) {
    Findings out;
    // Reports show the accepted outcome the run matched, else the first one listed.
    out.expected_outcome = scenario.expect.outcome;
    out.attempts = static_cast<unsigned>(trace.connections.size());
    Context c{scenario, trace, options, {}, Outcome::aborted};
    for (const ConnectionTrace& conn : trace.connections) c.views.push_back(read_client_view(conn));
    for (const ClientView& v : c.views) {
        const Marker* m = rules::tls_start(v);
        out.tls_versions.push_back(m ? m->detail : "");
    }
    const Deciding d = decide_outcome(c);
    out.outcome = c.outcome = d.outcome;
    if (scenario.expect.accepts(d.outcome)) out.expected_outcome = d.outcome;
    out.rules.push_back(outcome_finding(d, scenario.expect));
    for (const RuleRow& row : catalogue) {
        Finding f = row.judge(c);
        apply_expectation(f, scenario.expect, nothing_to_judge_is_right(c));
        out.rules.push_back(std::move(f));
    }
    for (const auto& [id, v] : scenario.expect.rules)
        if (!known_rule(id)) out.error = "the scenario expects unknown rule '" + id + "'";
    // min_attempts 0: not connecting can be right (the client refused the job, CC-24); the
    // outcome (not_attempted) then says whether it was.
    if (trace.connections.empty() && scenario.expect.min_attempts.value_or(1) > 0)
        out.error = "no connection was recorded";
    const bool all_ok = std::all_of(out.rules.begin(), out.rules.end(), [](const Finding& f) { return f.as_expected; });
    out.verdict = !out.error.empty() ? Verdict::error : all_ok ? Verdict::pass : Verdict::fail;
    return out;
}

}  // namespace exosim::scenario
