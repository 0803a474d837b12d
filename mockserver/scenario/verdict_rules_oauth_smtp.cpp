// What the client does with its tokens on SMTP (issue 13 "Verdict rules"): fresh tokens, one
// refresh after 535 5.7.3, the newest refresh token, user= against the token, no password, no
// secret in SMTP. Judged from the XOAUTH2 exchanges and the identity requests of the run.
#include <algorithm>
#include <map>

#include "core/ascii.hpp"
#include "scenario/identity_defaults.hpp"
#include "scenario/oauth_view.hpp"

namespace exosim::scenario::rules {

bool oauth_scenario(const Context& c);

namespace {

using core::ascii::lower;
using oauth::quote_attempt;
using oauth::quote_identity;
using oauth::Xoauth2Attempt;

// XOAUTH2 rejections with 535 5.7.3 in one job: the first, and one retry after a refresh.
constexpr std::size_t max_xoauth2_rejections = 2;
// Entra's device codes start with this [WIRE] (identity/device_flow.cpp): one in SMTP is a leak.
constexpr std::string_view device_code_prefix = "DAQABAAEAAAD";

// Every failed token check is 535 5.7.3 on the wire (issue 14).
bool rejected_5_7_3(const Xoauth2Attempt& a) { return !a.ok; }

}  // namespace

// The sign-in clock at `a` as the client could know it: moves of the clock the harness made after
// the token was issued (identity faults `advance`) are invisible to a device's own clock, so a
// token that expired only through them is not presented "knowingly"; refresh-once-after-535 judges
// what the client does with the 535 it then gets.
std::optional<std::int64_t> client_visible_time(const Trace& t, const Xoauth2Attempt& a) {
    auto now = oauth::identity_time(t, a.t);
    if (!now) return now;
    for (const ClockAdvance& adv : t.clock_advances) {
        const auto before = oauth::identity_time(t, adv.t - Millis(1));
        if (adv.t <= a.t && before && a.token_nbf <= *before + 1) *now -= adv.by.count();  // issued before the move
    }
    return now;
}

Finding refresh_before_expiry(const Context& c) {
    constexpr std::string_view id = "refresh-before-expiry";
    if (!oauth_scenario(c)) return skipped(id, "not an OAuth scenario");
    std::vector<std::string> quotes;
    std::size_t judged = 0, expired = 0;
    for (const Xoauth2Attempt* a : oauth::xoauth2_attempts(c.trace)) {
        const auto now = client_visible_time(c.trace, *a);
        if (!a->token_jwt || !now || a->token_exp == 0) continue;
        ++judged;
        if (*now < a->token_exp) continue;
        ++expired;
        add_quote(quotes, quote_attempt(*a) + " (sign-in clock " + std::to_string(*now) + ", " +
                              std::to_string(*now - a->token_exp) + " s after exp)");
    }
    if (judged == 0) return skipped(id, "no XOAUTH2 token to judge");
    if (expired == 0) return pass(id, std::to_string(judged) + " token(s) presented before they expired");
    return fail(id, std::to_string(expired) + " expired token(s) presented instead of refreshing first", quotes);
}

Finding refresh_once_after_535(const Context& c) {
    constexpr std::string_view id = "refresh-once-after-535";
    if (!oauth_scenario(c)) return skipped(id, "not an OAuth scenario");
    const auto attempts = oauth::xoauth2_attempts(c.trace);
    std::map<std::size_t, std::size_t> rejections;  // job -> 535 5.7.3 count
    std::vector<std::string> quotes;
    std::size_t any = 0, same_token = 0;
    for (std::size_t i = 0; i < attempts.size(); ++i) {
        if (!rejected_5_7_3(*attempts[i])) continue;
        ++any;
        ++rejections[oauth::job_at(c.trace, attempts[i]->t)];
        add_quote(quotes, quote_attempt(*attempts[i]));
        const std::string& fp = attempts[i]->token_fingerprint;
        if (i + 1 < attempts.size() && !fp.empty() && attempts[i + 1]->token_fingerprint == fp) {
            ++same_token;
            add_quote(quotes, quote_attempt(*attempts[i + 1]));
        }
    }
    if (any == 0) return skipped(id, "no XOAUTH2 attempt was answered 535 5.7.3");
    std::size_t worst = 0;
    for (const auto& [job, n] : rejections) worst = std::max(worst, n);
    if (worst > max_xoauth2_rejections)
        return fail(id, std::to_string(worst) + " XOAUTH2 rejections (535 5.7.3) in one job: the client loops", quotes);
    if (same_token > 0) return fail(id, "the rejected token was presented again without a refresh", quotes);
    return pass(id, "at most one retry after 535 5.7.3", quotes);
}

Finding newest_refresh_token(const Context& c) {
    constexpr std::string_view id = "newest-refresh-token";
    if (!oauth_scenario(c)) return skipped(id, "not an OAuth scenario");
    std::vector<std::string> issued;  // fingerprints in issue order
    std::vector<std::string> quotes;
    std::size_t judged = 0, stale = 0;
    for (const IdentityRecord& r : c.trace.identity) {
        if (!r.refresh_used.empty() && std::find(issued.begin(), issued.end(), r.refresh_used) != issued.end()) {
            ++judged;
            if (r.refresh_used != issued.back()) {
                ++stale;
                add_quote(quotes, quote_identity(r) + " (newest is #" + issued.back() + ")");
            }
        }
        if (!r.refresh_issued.empty()) issued.push_back(r.refresh_issued);
    }
    if (judged == 0) return skipped(id, "no refresh token issued in this run was presented");
    if (stale == 0) return pass(id, std::to_string(judged) + " refresh(es), each with the newest refresh token");
    return fail(id, std::to_string(stale) + " refresh(es) with an older refresh token than the newest issued", quotes);
}

Finding xoauth2_user_matches_token(const Context& c) {
    constexpr std::string_view id = "xoauth2-user-matches-token";
    if (!oauth_scenario(c)) return skipped(id, "not an OAuth scenario");
    std::vector<std::string> quotes;
    std::size_t judged = 0, bad = 0, shared = 0;
    for (const Xoauth2Attempt* a : oauth::xoauth2_attempts(c.trace)) {
        if (!a->token_jwt) continue;
        ++judged;
        const bool wrong_user = a->error.rfind("wrong_user", 0) == 0;
        if (!a->token_app_only && lower(a->user) != lower(a->token_upn)) {
            // Another mailbox is fine when Exchange accepts it (FullAccess / send-as: a shared mailbox).
            if (a->ok) ++shared;
            else if (wrong_user) {
                ++bad;
                add_quote(quotes, quote_attempt(*a));
            }
        } else if (a->token_app_only && wrong_user) {
            ++bad;
            add_quote(quotes, quote_attempt(*a));
        }
    }
    if (judged == 0) return skipped(id, "no XOAUTH2 token to judge");
    if (bad == 0)
        return pass(id, std::to_string(judged) + " XOAUTH2 user= matching the token" +
                            (shared ? " (" + std::to_string(shared) + " for a mailbox the user may send as)" : std::string()));
    return fail(id, std::to_string(bad) + " XOAUTH2 user= that the token may not send as", quotes);
}

Finding no_password_when_oauth_only(const Context& c) {
    constexpr std::string_view id = "no-password-when-oauth-only";
    if (!oauth_scenario(c)) return skipped(id, "not an OAuth scenario");
    std::vector<std::string> quotes;
    for (std::size_t i = 0; i < c.views.size(); ++i)
        for (const ClientLine& l : c.views[i].lines) {
            const std::string upper = core::ascii::upper(l.text);
            if (l.word == "AUTH" && (upper.rfind("AUTH LOGIN", 0) == 0 || upper.rfind("AUTH PLAIN", 0) == 0))
                add_quote(quotes, quote(c, i, l));
        }
    for (const IdentityRecord& r : c.trace.identity)
        if (r.grant == "password") add_quote(quotes, quote_identity(r));
    if (quotes.empty()) return pass(id, "no AUTH LOGIN/PLAIN and no password grant: the client used OAuth only");
    return fail(id, "the client sent a password although it is set up for OAuth only", quotes);
}

Finding secrets_only_in_tls(const Context& c) {
    constexpr std::string_view id = "secrets-only-in-tls";
    if (!oauth_scenario(c)) return skipped(id, "not an OAuth scenario");
    std::vector<std::string> secrets = {std::string(default_client_secret)};
    if (!c.scenario.identity.client_secret.empty()) secrets.push_back(c.scenario.identity.client_secret);
    std::vector<std::string> quotes;
    for (std::size_t i = 0; i < c.views.size(); ++i) {
        for (const ClientLine& l : c.views[i].lines) {
            const bool leak = l.text.find(device_code_prefix) != std::string::npos ||
                              std::any_of(secrets.begin(), secrets.end(),
                                          [&](const std::string& s) { return l.text.find(s) != std::string::npos; });
            if (leak) add_quote(quotes, quote(c, i, l) + " (a client secret or device code)");
        }
        for (const Body& b : c.views[i].bodies)
            for (const std::string& s : secrets)
                if (b.raw.find(s) != std::string::npos) add_quote(quotes, "#" + std::to_string(i + 1) + " message body holds the client secret");
    }
    std::vector<std::string> refresh_tokens;
    for (const IdentityRecord& r : c.trace.identity)
        if (!r.refresh_issued.empty()) refresh_tokens.push_back(r.refresh_issued);
    for (const Xoauth2Attempt* a : oauth::xoauth2_attempts(c.trace)) {
        const bool refresh = std::find(refresh_tokens.begin(), refresh_tokens.end(), a->token_fingerprint) != refresh_tokens.end();
        if (refresh) add_quote(quotes, quote_attempt(*a) + " (a refresh token as the bearer)");
        else if (!a->token_jwt && !a->token_fingerprint.empty())  // an empty bearer carries no secret
            add_quote(quotes, quote_attempt(*a) + " (not an access token: a refresh token, code or secret)");
    }
    for (std::size_t i = 0; i < c.views.size(); ++i)
        for (const ClientLine& l : c.views[i].lines)
            if (l.word == "AUTH" && core::ascii::istarts_with(l.text, "AUTH XOAUTH2") && !l.tls)
                add_quote(quotes, quote(c, i, l) + " (a bearer token outside TLS)");
    if (quotes.empty())
        return pass(id, "no client secret, refresh token or code in SMTP; access tokens only inside TLS (the sign-in "
                        "service itself is HTTPS only)");
    return fail(id, "a secret left the sign-in service's TLS", quotes);
}

}  // namespace exosim::scenario::rules
