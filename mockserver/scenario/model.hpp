#pragma once
// The scenario model: which endpoint a client is tested against, what the server does differently
// from the profile (scripted behaviour), what the client is asked to send, and what is expected of
// it. Loaded from YAML (scenarios/*.yaml) or JSON (control API); plain data, immutable once loaded.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scenario/action.hpp"

namespace exosim::scenario {

// The SMTP steps a script can act on.
enum class Step { greeting, ehlo, helo, starttls, auth, mail, rcpt, data, end_of_data, bdat, rset, quit, noop, any };

// Which occurrences of a step a rule applies to.
struct Match {
    Step step = Step::any;
    std::optional<unsigned> attempt;           // 1-based connection number of the scenario run
    std::optional<unsigned> nth;               // 1-based occurrence of the step within the run
    std::optional<unsigned> from_nth;          // this occurrence and all later ones (CC-19: RCPT 101 on)
    std::optional<std::string> recipient;      // RCPT only: the forward-path address
    std::optional<unsigned> times;             // apply to at most this many matches ("451 twice")
    std::optional<double> probability;        // apply with this probability, from the seeded RNG
    std::optional<bool> after_tls;             // true: only inside TLS; false: only before TLS
};

struct Rule {
    Match match;
    Action action;
};

struct Capabilities {
    std::optional<std::vector<std::string>> before_tls;  // replace the EHLO list before TLS
    std::optional<std::vector<std::string>> after_tls;   // replace the EHLO list after TLS
    std::vector<std::string> remove;                      // keywords to strip (e.g. STARTTLS)
    std::vector<std::string> add;                         // lines to add (look-alikes: XSTARTTLS)
};

enum class CertificateKind { valid, self_signed, unknown_ca, wrong_host, expired, not_yet_valid, missing_intermediate };

struct TlsScript {
    std::optional<std::string> min;            // "1.0".."1.3"
    std::optional<std::string> max;
    std::optional<std::string> ciphers;
    CertificateKind certificate = CertificateKind::valid;
    bool starts = true;                        // false: reply to STARTTLS but never start TLS
};

struct ServerScript {
    std::optional<std::string> greeting;       // replaces the banner (any code)
    bool greeting_closes = false;              // the greeting ends the session (decoder: a 421)
    Capabilities capabilities;
    TlsScript tls;
    std::vector<Rule> rules;                   // first matching rule wins
    std::uint64_t seed = 1;                    // seeds probability rules: same seed, same faults
};

// What the client under test is asked to do; fills the command template placeholders.
struct Send {
    std::string security = "starttls";        // starttls | implicit | none
    std::string auth = "login";                // login | plain | xoauth2 | none
    std::string user;
    std::string password;
    std::string from;
    std::vector<std::string> to;
    std::string subject = "exosim test";
    std::string body = "exosim test message";
    std::optional<std::string> attachment;    // path relative to the scenario file, or "generated:pdf"
    std::string servername;                    // TLS name the client should verify
    // Loopback address the client must connect from ("127.0.0.10"): loopback sources stand in
    // for public IPs (relay connector by IP, blocklisted IP). Fills {source}.
    std::optional<std::string> source_address;
    // Domain a client certificate signed by exosim's CA must name (relay connector by
    // certificate). Fills {client_cert} and {client_key}.
    std::optional<std::string> client_certificate;
    // send.token: "minted" (default: {token} holds a token the harness minted) or "none" (the
    // client must get its own from the sign-in service; {token} is empty).
    std::string token = "minted";
};

// The sign-in service's side of a scenario (issue 13 "Scenario model"): which flow the client is
// expected to use, how its device code is approved, and the faults of issue 14 "Faults" applied to
// the worker's sign-in service when the run starts, and between the jobs of a multi-job run.
enum class ExpectFlow { any, device_code, authorization_code, client_credentials };
enum class Approval { auto_approve, decline, manual };
enum class DeviceCodeFault { none, decline, expire };
enum class OutageThen { none, timeout, slow };

// The token endpoint's outage: `status` with Retry-After for `times` requests, then (optionally)
// one request that times out (connection closed after `delay`) or is slow (answered after `delay`).
struct TokenOutage {
    unsigned status = 503;                     // 500 or 503
    std::optional<unsigned> retry_after;       // seconds
    unsigned times = 1;
    OutageThen then = OutageThen::none;
    std::chrono::milliseconds delay{std::chrono::seconds(20)};
};

// User sign-in state changes for the scenario's user (issue 14 "Directory").
struct UserState {
    std::optional<bool> mfa_required;
    std::optional<bool> ca_blocked;
    std::optional<bool> disabled;
    std::optional<bool> password_expired;
    std::optional<bool> locked;
};

// Applied to the sign-in service at a point of the run; every member is optional.
struct IdentityFaults {
    UserState user_state;
    DeviceCodeFault device_code = DeviceCodeFault::none;
    std::optional<TokenOutage> token_endpoint;
    std::optional<std::chrono::seconds> nbf_ahead;      // tokens issued with nbf this far ahead
    std::optional<std::string> consent_missing;         // tenant where the app's consent is removed
    bool secret_expired = false;                        // the app's secrets expire (AADSTS7000222)
    bool revoke_refresh_tokens = false;                 // the user's refresh tokens (AADSTS50173)
    bool rotate_signing_key = false;
    std::chrono::seconds advance{0};                    // the sign-in clock moves forward
    // Real time the harness waits (between jobs): with a short access_token_lifetime the token
    // expires on the client's own clock too, which `advance` cannot do.
    std::chrono::milliseconds wait{0};

    bool empty() const;
};

struct IdentityScript {
    bool present = false;                      // the scenario has an identity: section
    ExpectFlow expect_flow = ExpectFlow::any;
    Approval approval = Approval::auto_approve;
    std::chrono::milliseconds approval_delay{1500};
    std::string user;                          // approves device codes; empty: send.user
    std::string tenant;                        // {authority}/{tenant_id}; empty: send.user's domain
    std::string client_id;                     // {client_id}; empty: the default app for the flow
    std::string client_secret;                 // {client_secret}; empty: the app's default secret
    unsigned jobs = 1;                         // the client runs this many times (jobs), one token cache
    std::optional<std::chrono::seconds> access_token_lifetime;  // replaces Entra's random 60-90 minutes
    IdentityFaults faults;                     // when the run starts
    IdentityFaults between_jobs;               // before every job after the first
};

// not_attempted: no connection at all, e.g. a client that refused the job locally (CC-24: a
// subject with CRLF in it) before connecting.
enum class Outcome { delivered, rejected, deferred, aborted, not_attempted };
enum class Verdict { pass, fail, error, skipped };

struct Expectation {
    Outcome outcome = Outcome::delivered;      // the first accepted outcome; reports show this one
    std::vector<Outcome> other_outcomes;       // also accepted (CC-24: refusing or encoding the subject)
    // Rule id -> expected verdict for rules that must hold or must be caught (e.g. "no-plaintext-credentials": pass).
    std::map<std::string, Verdict> rules;
    unsigned max_attempts = 1;                 // the harness runs the client up to this many times
    std::optional<unsigned> min_attempts;      // retries expected after 4xx; 0: may never connect
    std::optional<std::string> min_tls_version;  // tls-version floor ("1.2"); JudgeOptions may lower-bound it too

    bool accepts(Outcome o) const;
};

struct Scenario {
    std::string id;                            // unique, file stem by default
    std::string title;
    std::string description;
    std::string source_file;                   // for error messages and reports
    std::string endpoint = "submission";       // listener name (profile comes from the listener)
    std::map<std::string, std::string> tenant; // tenant setting overrides ("smtp_auth_disabled": "true")
    std::vector<std::string> tags;             // e.g. "CC-01", "printer-certification"
    ServerScript server;
    IdentityScript identity;
    Send send;
    Expectation expect;
};

struct Suite {
    std::string name;
    std::string description;
    std::vector<std::string> scenario_files;   // resolved relative to the suite file
};

std::string_view step_name(Step s);
std::optional<Step> step_from_name(std::string_view name);
std::string_view outcome_name(Outcome o);
std::string_view verdict_name(Verdict v);
std::optional<Outcome> outcome_from_name(std::string_view name);
std::optional<Verdict> verdict_from_name(std::string_view name);
std::string_view certificate_kind_name(CertificateKind k);
std::optional<CertificateKind> certificate_kind_from_name(std::string_view name);
std::string_view expect_flow_name(ExpectFlow f);

}  // namespace exosim::scenario
