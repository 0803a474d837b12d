#pragma once
// What the verdict engine judges: the recorded bytes of every connection a scenario run made,
// with read boundaries, relative times and TLS transitions. Built from session transcripts.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace exosim::scenario {

struct TraceEntry {
    enum class Kind {
        client_bytes,      // one read from the client (read boundary preserved)
        server_bytes,      // one write to the client
        tls_started,       // handshake completed; `detail` = version ("TLSv1.2"), `cipher`
        tls_failed,        // handshake failed; `detail` = reason (e.g. client rejected certificate)
        client_closed,
        server_closed,
        timeout,           // the server's deadline fired
        client_hello,      // --evidence only: `detail` = one-line ClientHello summary (versions, suites, SNI, JA3, JA4)
    };
    Kind kind;
    std::chrono::milliseconds t{0};  // since the connection was accepted
    std::string bytes;               // for client_bytes / server_bytes (AUTH secrets may be redacted)
    std::string detail;
    bool tls = false;                // bytes travelled inside TLS
};

struct ConnectionTrace {
    std::string session_id;
    std::string listener;
    std::vector<TraceEntry> entries;
    // When the connection was accepted, since the scenario run began (entries are relative to
    // this); merges SMTP with identity requests on one timeline.
    std::chrono::milliseconds start{0};
};

// One request the client made to the sign-in service during the run (issue 13 "One attempt =
// identity requests + SMTP sessions"). Never a secret: no client secret, code, assertion or
// token; refresh tokens appear only as a fingerprint (the first 12 hex digits of their SHA-256),
// enough to tell which one of those issued was presented.
struct IdentityRecord {
    std::chrono::milliseconds t{0};  // since the scenario run began
    std::string method;              // "POST"
    std::string host;                // Host header without port ("login.microsoftonline.com")
    std::string path;                // without the query ("/contoso.com/oauth2/v2.0/token")
    std::string endpoint;            // "token", "devicecode", "authorize", "discovery", "page", "other"
    std::string grant;               // grant_type ("urn:ietf:params:oauth:grant-type:device_code", ...)
    std::string client_id;
    std::string user;
    std::string scope;               // as requested (space-separated)
    unsigned status = 200;
    bool ok = true;
    std::string error;               // "authorization_pending", "invalid_grant", "connection_closed"
    unsigned aadsts = 0;
    unsigned retry_after = 0;        // seconds the response asked for (0: none)
    unsigned interval = 0;           // devicecode: the polling interval it handed out
    std::string refresh_used;        // fingerprint of the refresh token presented
    std::string refresh_issued;      // fingerprint of the refresh token the response carried
    bool access_token_issued = false;
    std::int64_t token_expires_in = 0;  // seconds, when an access token was issued
    std::string tenant_segment;      // the {tenant} path segment ("contoso.com", "common")
    // endpoint "xoauth2": Exchange's check of a bearer token presented on SMTP (the wire only
    // shows "AUTH XOAUTH2 [redacted]"). `user` is the user= value, `ok` whether the token passed,
    // `error` the check that failed; the token's claims as far as the rules need them, and a
    // fingerprint (first 12 hex digits of SHA-256) that matches refresh_issued when a refresh
    // token was presented as the bearer.
    bool token_jwt = false;
    std::string token_upn;
    bool token_app_only = false;
    std::int64_t token_exp = 0;
    std::int64_t token_nbf = 0;
    std::string token_fingerprint;
};

// The harness moved the sign-in clock forward (scenario identity faults `advance`).
struct ClockAdvance {
    std::chrono::milliseconds t{0};  // since the scenario run began
    std::chrono::seconds by{0};
};

// All connections of one scenario run, in order (attempt 1, 2, ...), and its identity requests
// in the order they were answered.
struct Trace {
    std::vector<ConnectionTrace> connections;
    std::vector<IdentityRecord> identity;
    // The sign-in clock (token iat/nbf/exp) at the start of the run, Unix seconds; 0: unknown.
    // With clock_advances it says what time a token saw at any moment of the run.
    std::int64_t identity_clock_start = 0;
    std::vector<ClockAdvance> clock_advances;
    // Where each client job (one run of the client command) began, since the run began.
    std::vector<std::chrono::milliseconds> job_starts;
    // What the client was configured with: the tenant (its GUID and domains) and the client id the
    // token must come from (token-authority). Empty: not an identity scenario.
    std::vector<std::string> tenant_names;
    std::string client_id;
};

}  // namespace exosim::scenario
