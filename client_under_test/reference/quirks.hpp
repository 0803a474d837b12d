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
};

struct QuirkName {
    std::string_view name;
    bool Quirks::*flag;
};

inline constexpr std::array<QuirkName, 11> quirk_names{{
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
