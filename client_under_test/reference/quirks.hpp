#pragma once
// Deliberate misbehaviours of the reference client (--quirk NAME). Each exists so a test can prove that
// the harness verdict aimed at that fault catches it (STYLE.md 10). None is on by default, and
// --require-tls still wins over every one of them: no quirk sends AUTH or MAIL in plaintext with it.
#include <array>
#include <optional>
#include <string_view>

namespace exosim::client {

struct Quirks {
    bool auth_before_tls = false;           // AUTH before STARTTLS (CC-07)
    bool ignore_stripped_starttls = false;  // go on in plaintext when STARTTLS is missing (CC-01)
    bool accept_bad_cert = false;           // skip certificate and host name verification (CC-08)
    bool bare_lf = false;                   // body lines end in bare LF (CC-23)
    bool no_ehlo_after_tls = false;         // keep the pre-TLS capabilities (CC-05, RFC 3207 4.2)
    bool no_dot_stuffing = false;           // body lines starting with '.' go out as they are (CC-23)
    bool pipeline_unadvertised = false;     // MAIL/RCPT/DATA in one write without PIPELINING (CC-18)
    bool no_quit = false;                   // close without QUIT
    bool reuse_pre_tls_buffer = false;      // keep replies received before the TLS upgrade (CC-04)
    bool plain_before_login = false;        // prefer PLAIN even when not offered (CC-05, CC-06)
    bool no_retry = false;                  // give up after the first attempt (CC-20, CC-21)
    // OAuth (issue 13 "Verdict rules"); each breaks one rule on purpose.
    bool poll_too_fast = false;        // poll the device code every second, ignoring interval and slow_down
    bool expired_token = false;        // present the cached access token however old; never fetch a new one
    bool loop_invalid_grant = false;   // keep presenting a refresh token after invalid_grant
    bool ignore_retry_after = false;   // retry the token endpoint on its own backoff, ignoring Retry-After
    bool stale_refresh_token = false;  // keep the first refresh token, not the newest
    bool no_offline_access = false;    // ask a delegated token without offline_access
    bool wrong_scope = false;          // ask for a Microsoft Graph scope instead of Exchange's
    bool password_with_oauth = false;  // AUTH LOGIN with --password when only XOAUTH2 is offered
};

struct QuirkName {
    std::string_view name;
    bool Quirks::*flag;
};

inline constexpr std::array<QuirkName, 19> quirk_names{{
    {"auth-before-tls", &Quirks::auth_before_tls},
    {"ignore-stripped-starttls", &Quirks::ignore_stripped_starttls},
    {"accept-bad-cert", &Quirks::accept_bad_cert},
    {"bare-lf", &Quirks::bare_lf},
    {"no-ehlo-after-tls", &Quirks::no_ehlo_after_tls},
    {"no-dot-stuffing", &Quirks::no_dot_stuffing},
    {"pipeline-unadvertised", &Quirks::pipeline_unadvertised},
    {"no-quit", &Quirks::no_quit},
    {"reuse-pre-tls-buffer", &Quirks::reuse_pre_tls_buffer},
    {"plain-before-login", &Quirks::plain_before_login},
    {"no-retry", &Quirks::no_retry},
    {"poll-too-fast", &Quirks::poll_too_fast},
    {"expired-token", &Quirks::expired_token},
    {"loop-invalid-grant", &Quirks::loop_invalid_grant},
    {"ignore-retry-after", &Quirks::ignore_retry_after},
    {"stale-refresh-token", &Quirks::stale_refresh_token},
    {"no-offline-access", &Quirks::no_offline_access},
    {"wrong-scope", &Quirks::wrong_scope},
    {"password-with-oauth", &Quirks::password_with_oauth},
}};

// Turns on the quirk called name; false when there is no such quirk.
inline bool enable_quirk(Quirks& quirks, std::string_view name) {
    for (const QuirkName& q : quirk_names) {
        if (q.name == name) {
            quirks.*(q.flag) = true;
            return true;
        }
    }
    return false;
}

}  // namespace exosim::client
