// How the client talks to the sign-in service (issue 13 "Verdict rules"): authority and client,
// scope, the flow, device-code polling, outages and invalid_grant. Judged from the identity
// requests of the run (Trace::identity); skipped in scenarios that are not about OAuth.
#include <algorithm>

#include "core/ascii.hpp"
#include "scenario/oauth_view.hpp"

namespace exosim::scenario::rules {

namespace {

using oauth::quote_identity;
using core::ascii::lower;

// Timer jitter allowed when comparing a client's wait with the interval or Retry-After it was
// given: a process scheduled late on a busy machine has not polled early.
constexpr Millis wait_tolerance{250};
// reference §4: with no Retry-After, at least this long before retrying the token endpoint after
// a 5xx or a dropped connection [INFER: "backoff" is not quantified by Microsoft].
constexpr Millis min_outage_backoff{1000};
// Retries of the token endpoint after failures in one run before it counts as hammering [INFER].
constexpr std::size_t max_outage_retries = 5;
// Refresh-token requests allowed after invalid_grant (700082, 50173, 70043): one more try, e.g.
// on the next job, then the device must ask for a new sign-in [INFER].
constexpr std::size_t max_refresh_after_invalid_grant = 1;

bool sign_in_host(std::string_view h) {
    return h == "login.microsoftonline.com" || h == "login.microsoft.com" || h == "login.windows.net";
}

std::vector<const IdentityRecord*> requests(const Context& c, bool (*keep)(const IdentityRecord&)) {
    std::vector<const IdentityRecord*> out;
    for (const IdentityRecord& r : c.trace.identity)
        if (keep(r)) out.push_back(&r);
    return out;
}

// The tenant's OpenID configuration: MSAL reads it before any flow request and stops there on
// AADSTS90002, so a wrong authority shows in it first. Instance discovery is always under
// "common" and says nothing about the configured tenant.
bool authority_request(const IdentityRecord& r) {
    return oauth::is_flow_request(r) || (r.endpoint == "discovery" && r.path.find("openid-configuration") != std::string::npos);
}

Finding no_requests(std::string_view rule) { return skipped(rule, "the client made no request to the sign-in service"); }

bool has_word(const std::string& scope, std::string_view word) {
    std::string_view rest = scope;
    while (!rest.empty()) {
        const std::size_t sp = rest.find(' ');
        if (core::ascii::iequals(rest.substr(0, sp), word)) return true;
        if (sp == std::string_view::npos) break;
        rest.remove_prefix(sp + 1);
    }
    return false;
}

}  // namespace

bool oauth_scenario(const Context& c) { return c.scenario.identity.present || c.scenario.send.token == "none"; }

Finding token_authority(const Context& c) {
    constexpr std::string_view id = "token-authority";
    if (!oauth_scenario(c)) return skipped(id, "not an OAuth scenario");
    const auto reqs = requests(c, authority_request);
    if (reqs.empty()) return no_requests(id);
    const bool delegated = oauth::is_delegated_flow(c.scenario);
    std::vector<std::string> quotes;
    std::size_t bad = 0;
    for (const IdentityRecord* r : reqs) {
        const std::string seg = lower(r->tenant_segment);
        const bool tenant_ok = std::find(c.trace.tenant_names.begin(), c.trace.tenant_names.end(), seg) !=
                                   c.trace.tenant_names.end() ||
                               (delegated && (seg == "organizations" || seg == "common"));
        // Discovery names no client; only the tenant in its path can be wrong.
        const bool client_ok = c.trace.client_id.empty() || (r->endpoint == "discovery" && r->client_id.empty()) ||
                               lower(r->client_id) == lower(c.trace.client_id);
        if (sign_in_host(r->host) && tenant_ok && client_ok) continue;
        ++bad;
        add_quote(quotes, quote_identity(*r));
    }
    if (bad == 0) {
        return pass(id, std::to_string(reqs.size()) + " request(s) to the configured tenant's authority for client " +
                            c.trace.client_id, {quote_identity(*reqs.front())});
    }
    std::string want;
    for (const auto& n : c.trace.tenant_names) want += (want.empty() ? "" : ", ") + n;
    return fail(id, std::to_string(bad) + " request(s) not to https://login.microsoftonline.com/{" + want +
                        "} for client " + c.trace.client_id, quotes);
}

Finding token_scope(const Context& c) {
    constexpr std::string_view id = "token-scope";
    if (!oauth_scenario(c)) return skipped(id, "not an OAuth scenario");
    std::vector<std::string> quotes;
    std::size_t judged = 0, bad = 0;
    for (const IdentityRecord& r : c.trace.identity) {
        // No scope on a failed request: Entra refused it before reading one (an unknown tenant,
        // an outage) or answered 900144 for its absence; either way no token came of it.
        if (!oauth::is_flow_request(r) || (r.scope.empty() && (!r.ok || oauth::is_device_poll(r) || r.grant == "authorization_code"))) continue;
        ++judged;
        const bool app_only = r.grant == "client_credentials";
        // reference §2/§3: SMTP.Send on outlook.office.com (+ offline_access for a device that
        // keeps running); app-only: exactly outlook.office365.com/.default.
        const bool ok = app_only ? lower(r.scope) == "https://outlook.office365.com/.default"
                                 : has_word(r.scope, "https://outlook.office.com/SMTP.Send") && has_word(r.scope, "offline_access");
        if (ok) continue;
        ++bad;
        add_quote(quotes, quote_identity(r));
    }
    if (judged == 0) return skipped(id, "no request named a scope");
    if (bad == 0) return pass(id, std::to_string(judged) + " request(s) with the SMTP scope");
    return fail(id, std::to_string(bad) + " request(s) without https://outlook.office.com/SMTP.Send offline_access "
                    "(delegated) or https://outlook.office365.com/.default (app-only)", quotes);
}

Finding oauth_flow(const Context& c) {
    constexpr std::string_view id = "oauth-flow";
    if (!oauth_scenario(c)) return skipped(id, "not an OAuth scenario");
    const ExpectFlow want = c.scenario.identity.expect_flow;
    std::vector<std::string> quotes;
    std::size_t initial = 0, bad = 0;
    for (const IdentityRecord& r : c.trace.identity) {
        if (!oauth::is_token_request(r) || r.grant == "refresh_token") continue;
        ++initial;
        const bool ok = want == ExpectFlow::any || (want == ExpectFlow::device_code && oauth::is_device_poll(r)) ||
                        (want == ExpectFlow::authorization_code && r.grant == "authorization_code") ||
                        (want == ExpectFlow::client_credentials && r.grant == "client_credentials");
        if (ok) continue;
        ++bad;
        add_quote(quotes, quote_identity(r));
    }
    if (initial == 0) return skipped(id, "no token request other than refresh");
    if (bad == 0) return pass(id, "the client signed in with " + std::string(expect_flow_name(want)));
    return fail(id, std::to_string(bad) + " token request(s) with another grant than " + std::string(expect_flow_name(want)),
                quotes);
}

// RFC 8628 3.4/3.5: polls no faster than `interval`; stops at a terminal error or after success.
Finding device_code_polling(const Context& c) {
    constexpr std::string_view id = "device-code-polling";
    if (!oauth_scenario(c)) return skipped(id, "not an OAuth scenario");
    std::vector<std::string> quotes;
    std::size_t polls = 0, early = 0, after_end = 0;
    const IdentityRecord* last = nullptr;  // the devicecode response or the previous poll
    unsigned interval = 0;
    const IdentityRecord* ended = nullptr;  // success or terminal error of the current code
    for (const IdentityRecord& r : c.trace.identity) {
        if (r.endpoint == "devicecode" && r.ok) {
            last = &r;
            interval = r.interval;
            ended = nullptr;
            continue;
        }
        if (!oauth::is_device_poll(r)) continue;
        ++polls;
        if (ended) {
            ++after_end;
            if (quotes.empty()) add_quote(quotes, quote_identity(*ended));
            add_quote(quotes, quote_identity(r));
        } else if (last && interval > 0 && r.t - last->t + wait_tolerance < Millis(interval * 1000LL)) {
            ++early;
            add_quote(quotes, quote_identity(*last));
            add_quote(quotes, quote_identity(r));
        }
        last = &r;
        if (r.access_token_issued || oauth::is_terminal_device_error(r)) ended = &r;
    }
    if (polls == 0) return skipped(id, "the client did not poll for a device code");
    if (early == 0 && after_end == 0) return pass(id, std::to_string(polls) + " poll(s), none early, none after the end");
    std::string msg;
    if (early) msg = std::to_string(early) + " poll(s) sooner than the interval";
    if (after_end) msg += (msg.empty() ? "" : "; ") + std::to_string(after_end) +
                          " poll(s) after success, expired_token, authorization_declined or bad_verification_code";
    return fail(id, msg, quotes);
}

// After a 5xx or a dropped connection: bounded retries, honouring Retry-After.
Finding outage_backoff(const Context& c) {
    constexpr std::string_view id = "outage-backoff";
    if (!oauth_scenario(c)) return skipped(id, "not an OAuth scenario");
    std::vector<std::string> quotes;
    std::size_t outages = 0, retries = 0, early = 0;
    const IdentityRecord* failed = nullptr;
    for (const IdentityRecord& r : c.trace.identity) {
        if (!oauth::is_token_request(r) && r.endpoint != "devicecode") continue;
        if (failed) {
            ++retries;
            const Millis want = failed->retry_after ? Millis(failed->retry_after * 1000LL) : min_outage_backoff;
            if (r.t - failed->t + wait_tolerance < want) {
                ++early;
                add_quote(quotes, quote_identity(*failed));
                add_quote(quotes, quote_identity(r));
            }
        }
        const bool outage = r.status >= 500 || r.error == "connection_closed";
        if (outage) ++outages;
        failed = outage ? &r : nullptr;
    }
    if (outages == 0) return skipped(id, "the token endpoint had no outage");
    if (retries > max_outage_retries) {
        add_quote(quotes, quote_identity(c.trace.identity.back()));
        return fail(id, std::to_string(retries) + " retries after outages (at most " + std::to_string(max_outage_retries) + ")",
                    quotes);
    }
    if (early > 0) return fail(id, std::to_string(early) + " retr(ies) before Retry-After (or 1 s without one)", quotes);
    return pass(id, std::to_string(outages) + " outage answer(s), " + std::to_string(retries) + " retr(ies), none early");
}

// invalid_grant (700082, 50173, 70043): the device needs a new sign-in; it does not hammer.
Finding invalid_grant_stops(const Context& c) {
    constexpr std::string_view id = "invalid-grant-stops";
    if (!oauth_scenario(c)) return skipped(id, "not an OAuth scenario");
    const IdentityRecord* first = nullptr;
    std::vector<std::string> quotes;
    std::size_t after = 0;
    for (const IdentityRecord& r : c.trace.identity) {
        if (!oauth::is_token_request(r)) continue;
        if (first && r.grant == "refresh_token") {
            ++after;
            add_quote(quotes, quote_identity(r));
        }
        const bool terminal = r.error == "invalid_grant" && (r.aadsts == 700082 || r.aadsts == 50173 || r.aadsts == 70043);
        if (!first && terminal) first = &r;
    }
    if (!first) return skipped(id, "no invalid_grant (700082, 50173, 70043) was answered");
    quotes.insert(quotes.begin(), quote_identity(*first));
    if (after <= max_refresh_after_invalid_grant)
        return pass(id, std::to_string(after) + " refresh request(s) after invalid_grant", {quotes.front()});
    return fail(id, std::to_string(after) + " refresh requests after invalid_grant AADSTS" + std::to_string(first->aadsts) +
                        " (at most " + std::to_string(max_refresh_after_invalid_grant) + "): the client loops instead of asking for a new sign-in",
                quotes);
}

}  // namespace exosim::scenario::rules
