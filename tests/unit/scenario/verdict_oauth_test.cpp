// The OAuth rules (issue 13): each passes on a well-behaved trace and fails on the misbehaviour it
// is aimed at, quoting the identity requests or XOAUTH2 lines it relies on.
#include "scenario/timeline.hpp"
#include "verdict_trace_builder.hpp"

namespace exosim::scenario {
namespace {

using test::quoted;
using test::rule;
using test::TraceBuilder;
using std::chrono::milliseconds;

constexpr std::int64_t clock_start = 1'800'000'000;
constexpr const char* contoso_id = "e5b2c6f0-3a4d-4c1e-9f7a-2d8b1c0e4a11";
constexpr const char* fleet = "0d3c5e7a-1b2f-4c6d-8e9a-3f5b7d9c1e33";
constexpr const char* device_grant = "urn:ietf:params:oauth:grant-type:device_code";

Scenario oauth_scenario(ExpectFlow flow = ExpectFlow::device_code) {
    Scenario s = test::scenario();
    s.send.auth = "xoauth2";
    s.send.token = "none";
    s.send.user = "printer@contoso.com";
    s.identity.present = true;
    s.identity.expect_flow = flow;
    return s;
}

std::string xoauth2() { return "AUTH XOAUTH2 dXNlcj1yZWRhY3RlZA==\r\n"; }

// Exchange's check of a bearer token, as certify records it (the wire shows it redacted).
IdentityRecord check(long long t_ms, std::string user, std::string upn, std::int64_t exp, bool ok = true,
                     std::string error = {}, std::string fp = "f00000000001") {
    IdentityRecord r;
    r.t = milliseconds(t_ms);
    r.method = "AUTH";
    r.endpoint = "xoauth2";
    r.host = "smtp";
    r.path = "XOAUTH2";
    r.user = std::move(user);
    r.ok = ok;
    r.status = ok ? 235 : 535;
    r.error = std::move(error);
    r.token_jwt = true;
    r.token_upn = std::move(upn);
    r.token_app_only = r.token_upn.empty();
    r.token_nbf = clock_start;
    r.token_exp = exp;
    r.token_fingerprint = std::move(fp);
    return r;
}

IdentityRecord req(long long t_ms, std::string endpoint, std::string grant = {}, std::string error = {}) {
    IdentityRecord r;
    r.t = milliseconds(t_ms);
    r.method = "POST";
    r.host = "login.microsoftonline.com";
    r.endpoint = endpoint;
    r.tenant_segment = "contoso.com";
    r.path = "/contoso.com/oauth2/v2.0/" + endpoint;
    r.grant = std::move(grant);
    r.client_id = fleet;
    r.scope = "https://outlook.office.com/SMTP.Send offline_access";
    r.error = std::move(error);
    r.ok = r.error.empty();
    r.status = r.ok ? 200 : 400;
    return r;
}

IdentityRecord devicecode(long long t_ms) {
    IdentityRecord r = req(t_ms, "devicecode");
    r.interval = 5;
    return r;
}

IdentityRecord token_ok(long long t_ms, std::string grant, std::string refresh_issued = "aaaaaaaaaaaa") {
    IdentityRecord r = req(t_ms, "token", std::move(grant));
    r.access_token_issued = true;
    r.token_expires_in = 3600;
    r.refresh_issued = std::move(refresh_issued);
    return r;
}

// One SMTP session with one XOAUTH2 exchange.
TraceBuilder session(std::string reply = "235 2.7.0 Authentication successful\r\n") {
    TraceBuilder b;
    b.up_to_tls_ehlo().C(xoauth2()).S(reply);
    if (reply.rfind("235", 0) == 0) b.message(test::good_body());
    b.quit();
    return b;
}

Trace with_identity(Trace t, std::vector<IdentityRecord> identity) {
    t.identity = std::move(identity);
    t.identity_clock_start = clock_start;
    t.tenant_names = {contoso_id, "contoso.com"};
    t.client_id = fleet;
    return t;
}

Trace happy() {
    return with_identity(session(), {devicecode(0), req(5000, "token", device_grant, "authorization_pending"),
                                     token_ok(10000, device_grant), check(10200, "printer@contoso.com", "printer@contoso.com", clock_start + 3600)});
}

TEST(VerdictOauth, HappyDeviceCodeRunPassesEveryRule) {
    const Findings f = judge(oauth_scenario(), happy());
    for (const char* id : {"token-authority", "token-scope", "oauth-flow", "device-code-polling", "refresh-before-expiry",
                           "xoauth2-user-matches-token", "no-password-when-oauth-only", "secrets-only-in-tls"})
        EXPECT_EQ(rule(f, id).verdict, Verdict::pass) << test::dump(rule(f, id));
    for (const char* id : {"outage-backoff", "invalid-grant-stops", "refresh-once-after-535", "newest-refresh-token"})
        EXPECT_EQ(rule(f, id).verdict, Verdict::skipped) << test::dump(rule(f, id));
    EXPECT_EQ(f.verdict, Verdict::pass);
}

TEST(VerdictOauth, NotAnOauthScenarioSkipsEveryOauthRule) {
    const Findings f = judge(test::scenario(), happy());
    for (const char* id : {"token-authority", "token-scope", "device-code-polling", "secrets-only-in-tls"})
        EXPECT_EQ(rule(f, id).verdict, Verdict::skipped) << id;
}

TEST(VerdictOauth, TokenAuthorityWrongTenantOrClient) {
    Trace t = happy();
    t.identity[2].tenant_segment = "fabrikam.com";
    t.identity[2].path = "/fabrikam.com/oauth2/v2.0/token";
    const Findings f = judge(oauth_scenario(), t);
    EXPECT_RULE(f, "token-authority", fail);
    EXPECT_TRUE(quoted(rule(f, "token-authority"), "I 10.000s POST login.microsoftonline.com/fabrikam.com/oauth2/v2.0/token"))
        << test::dump(rule(f, "token-authority"));
    Trace c = happy();
    c.identity[0].client_id = "00000000-0000-0000-0000-000000000000";
    EXPECT_RULE(judge(oauth_scenario(), c), "token-authority", fail);
    Trace h = happy();
    h.identity[0].host = "login.example.net";
    EXPECT_RULE(judge(oauth_scenario(), h), "token-authority", fail);
}

// MSAL reads the tenant's OpenID configuration first and stops at AADSTS90002: a wrong authority
// shows there. Discovery names no client; instance discovery (always "common") is not judged.
TEST(VerdictOauth, TokenAuthorityJudgesTheTenantsOpenIdConfiguration) {
    auto discovery = [](std::string tenant) {
        IdentityRecord r = req(0, "discovery");
        r.method = "GET";
        r.client_id.clear();
        r.scope.clear();
        r.tenant_segment = tenant;
        r.path = "/" + tenant + "/v2.0/.well-known/openid-configuration";
        return r;
    };
    IdentityRecord wrong = discovery("wrongtenant.onmicrosoft.com");
    wrong.ok = false;
    wrong.status = 400;
    const Findings f = judge(oauth_scenario(), with_identity(Trace{}, {wrong}));
    EXPECT_RULE(f, "token-authority", fail);
    EXPECT_TRUE(quoted(rule(f, "token-authority"), "wrongtenant.onmicrosoft.com/v2.0/.well-known/openid-configuration"))
        << test::dump(rule(f, "token-authority"));
    Trace right = happy();
    right.identity.insert(right.identity.begin(), discovery("contoso.com"));
    EXPECT_RULE(judge(oauth_scenario(), right), "token-authority", pass);
    IdentityRecord instance = discovery("common");
    instance.path = "/common/discovery/instance";
    Trace app = with_identity(TraceBuilder().good(), {instance, token_ok(0, "client_credentials", "")});
    app.identity[1].scope = "https://outlook.office365.com/.default";
    EXPECT_RULE(judge(oauth_scenario(ExpectFlow::client_credentials), app), "token-authority", pass);
}

TEST(VerdictOauth, TokenScopeNeedsSmtpSendAndOfflineAccess) {
    Trace t = happy();
    t.identity[0].scope = "https://outlook.office.com/SMTP.Send";
    const Findings f = judge(oauth_scenario(), t);
    EXPECT_RULE(f, "token-scope", fail);
    EXPECT_TRUE(quoted(rule(f, "token-scope"), "scope=\"https://outlook.office.com/SMTP.Send\""));
    // App-only must ask for outlook.office365.com/.default.
    IdentityRecord cc = token_ok(0, "client_credentials", "");
    cc.scope = "https://outlook.office.com/.default";
    EXPECT_RULE(judge(oauth_scenario(ExpectFlow::client_credentials), with_identity(TraceBuilder().good(), {cc})), "token-scope", fail);
    cc.scope = "https://outlook.office365.com/.default";
    EXPECT_RULE(judge(oauth_scenario(ExpectFlow::client_credentials), with_identity(TraceBuilder().good(), {cc})), "token-scope", pass);
}

TEST(VerdictOauth, OauthFlowCatchesAnotherGrant) {
    Trace t = happy();
    t.identity.push_back(token_ok(12000, "password"));
    EXPECT_RULE(judge(oauth_scenario(), t), "oauth-flow", fail);
    EXPECT_RULE(judge(oauth_scenario(ExpectFlow::any), t), "oauth-flow", pass);
}

TEST(VerdictOauth, DeviceCodePollingTooFast) {
    Trace t = happy();
    t.identity[1].t = milliseconds(4000);  // 4 s after the devicecode response with interval 5
    const Findings f = judge(oauth_scenario(), t);
    EXPECT_RULE(f, "device-code-polling", fail);
    EXPECT_TRUE(quoted(rule(f, "device-code-polling"), "interval=5"));
    // Timer jitter within the tolerance is not early.
    t.identity[1].t = milliseconds(4800);
    EXPECT_RULE(judge(oauth_scenario(), t), "device-code-polling", pass);
}

TEST(VerdictOauth, DeviceCodePollingAfterTheEnd) {
    Trace t = happy();
    t.identity.push_back(req(15000, "token", device_grant, "bad_verification_code"));
    EXPECT_RULE(judge(oauth_scenario(), t), "device-code-polling", fail);
    Trace d = with_identity(TraceBuilder().good(), {devicecode(0), req(5000, "token", device_grant, "authorization_declined"),
                                                    req(10000, "token", device_grant, "authorization_declined")});
    const Findings f = judge(oauth_scenario(), d);
    EXPECT_RULE(f, "device-code-polling", fail);
    EXPECT_TRUE(quoted(rule(f, "device-code-polling"), "authorization_declined"));
    // A new device code starts a new flow: polling it is fine.
    d.identity[2] = devicecode(10000);
    EXPECT_RULE(judge(oauth_scenario(), d), "device-code-polling", pass);
}

IdentityRecord outage(long long t_ms, unsigned retry_after) {
    IdentityRecord r = req(t_ms, "token", "refresh_token", "temporarily_unavailable");
    r.status = 503;
    r.retry_after = retry_after;
    return r;
}

TEST(VerdictOauth, OutageBackoffHonoursRetryAfter) {
    Trace early = with_identity(TraceBuilder().good(), {outage(0, 2), token_ok(500, "refresh_token")});
    const Findings f = judge(oauth_scenario(), early);
    EXPECT_RULE(f, "outage-backoff", fail);
    EXPECT_TRUE(quoted(rule(f, "outage-backoff"), "Retry-After: 2"));
    EXPECT_RULE(judge(oauth_scenario(), with_identity(TraceBuilder().good(), {outage(0, 2), token_ok(2000, "refresh_token")})),
                "outage-backoff", pass);
    std::vector<IdentityRecord> hammer;
    for (int i = 0; i < 7; ++i) hammer.push_back(outage(i * 3000, 2));
    EXPECT_RULE(judge(oauth_scenario(), with_identity(TraceBuilder().good(), hammer)), "outage-backoff", fail);
}

TEST(VerdictOauth, InvalidGrantStopsBoundsRefreshes) {
    IdentityRecord stale = req(0, "token", "refresh_token", "invalid_grant");
    stale.aadsts = 700082;
    std::vector<IdentityRecord> loop{stale};
    for (int i = 1; i <= 3; ++i) {
        IdentityRecord r = stale;
        r.t = milliseconds(i * 1000);
        loop.push_back(r);
    }
    const Findings f = judge(oauth_scenario(), with_identity(TraceBuilder().good(), loop));
    EXPECT_RULE(f, "invalid-grant-stops", fail);
    EXPECT_TRUE(quoted(rule(f, "invalid-grant-stops"), "AADSTS700082"));
    loop.resize(2);
    EXPECT_RULE(judge(oauth_scenario(), with_identity(TraceBuilder().good(), loop)), "invalid-grant-stops", pass);
}

TEST(VerdictOauth, RefreshBeforeExpiry) {
    // The token lives 60 s; the client presents it 200 s into the run.
    Trace t = happy();
    t.identity.back() = check(200000, "printer@contoso.com", "printer@contoso.com", clock_start + 60);
    const Findings f = judge(oauth_scenario(), t);
    EXPECT_RULE(f, "refresh-before-expiry", fail);
    EXPECT_TRUE(quoted(rule(f, "refresh-before-expiry"), "X 200.000s AUTH XOAUTH2 user=printer@contoso.com token(upn=printer@contoso.com"))
        << test::dump(rule(f, "refresh-before-expiry"));
    EXPECT_TRUE(quoted(rule(f, "refresh-before-expiry"), "140 s after exp)"));
    t.identity.back().t = milliseconds(30000);
    EXPECT_RULE(judge(oauth_scenario(), t), "refresh-before-expiry", pass);
}

TEST(VerdictOauth, RefreshBeforeExpiryForgivesClockMovesTheClientCannotSee) {
    // Issued at the start, then the harness moves the sign-in clock 2 hours: the device's own
    // clock still says the token is fresh (refresh-once-after-535 judges what it does next)...
    Trace t = happy();
    t.clock_advances.push_back({milliseconds(10100), std::chrono::seconds(7200)});
    EXPECT_RULE(judge(oauth_scenario(), t), "refresh-before-expiry", pass);
    // ...but a token issued after the move and presented past its exp was the client's doing.
    Trace late = happy();
    late.clock_advances.push_back({milliseconds(1000), std::chrono::seconds(7200)});
    late.identity.back() = check(200000, "printer@contoso.com", "printer@contoso.com", clock_start + 7200 + 60);
    late.identity.back().token_nbf = clock_start + 7200 + 2;
    EXPECT_RULE(judge(oauth_scenario(), late), "refresh-before-expiry", fail);
}

TEST(VerdictOauth, RefreshOnceAfter535) {
    const std::int64_t exp = clock_start + 3600;
    std::vector<IdentityRecord> loop;
    for (int i = 0; i < 3; ++i)
        loop.push_back(check(i * 1000, "printer@contoso.com", "printer@contoso.com", exp, false, "expired: exp passed",
                             "f0000000000" + std::to_string(i)));
    EXPECT_RULE(judge(oauth_scenario(), with_identity(session(), loop)), "refresh-once-after-535", fail);
    std::vector<IdentityRecord> same{check(0, "printer@contoso.com", "printer@contoso.com", exp, false, "expired: x"),
                                     check(1000, "printer@contoso.com", "printer@contoso.com", exp, false, "expired: x")};
    const Findings f = judge(oauth_scenario(), with_identity(session(), same));
    EXPECT_RULE(f, "refresh-once-after-535", fail);
    EXPECT_EQ(rule(f, "refresh-once-after-535").message, "the rejected token was presented again without a refresh");
    std::vector<IdentityRecord> once{check(0, "printer@contoso.com", "printer@contoso.com", exp, false, "expired: x"),
                                     token_ok(500, "refresh_token", "bbbbbbbbbbbb"),
                                     check(1000, "printer@contoso.com", "printer@contoso.com", exp + 3600, true, {}, "f00000000002")};
    EXPECT_RULE(judge(oauth_scenario(), with_identity(session(), once)), "refresh-once-after-535", pass);
}

TEST(VerdictOauth, NewestRefreshToken) {
    IdentityRecord first = token_ok(0, device_grant, "aaaaaaaaaaaa");
    IdentityRecord second = token_ok(1000, "refresh_token", "bbbbbbbbbbbb");
    second.refresh_used = "aaaaaaaaaaaa";
    IdentityRecord third = token_ok(2000, "refresh_token", "cccccccccccc");
    third.refresh_used = "aaaaaaaaaaaa";  // an older one: the client kept the first token
    const Findings f = judge(oauth_scenario(), with_identity(TraceBuilder().good(), {first, second, third}));
    EXPECT_RULE(f, "newest-refresh-token", fail);
    EXPECT_TRUE(quoted(rule(f, "newest-refresh-token"), "(newest is #bbbbbbbbbbbb)"));
    third.refresh_used = "bbbbbbbbbbbb";
    EXPECT_RULE(judge(oauth_scenario(), with_identity(TraceBuilder().good(), {first, second, third})), "newest-refresh-token", pass);
}

TEST(VerdictOauth, Xoauth2UserMatchesToken) {
    const std::int64_t exp = clock_start + 3600;
    Trace t = with_identity(session("535 5.7.3 Authentication unsuccessful\r\n"),
                            {check(0, "alice@contoso.com", "printer@contoso.com", exp, false, "wrong_user: user= alice@contoso.com is not the token's upn")});
    const Findings f = judge(oauth_scenario(), t);
    EXPECT_RULE(f, "xoauth2-user-matches-token", fail);
    EXPECT_TRUE(quoted(rule(f, "xoauth2-user-matches-token"), "user=alice@contoso.com token(upn=printer@contoso.com"));
    // A shared mailbox the user may send as: Exchange accepted it.
    EXPECT_RULE(judge(oauth_scenario(), with_identity(session(), {check(0, "shared@contoso.com", "printer@contoso.com", exp)})),
                "xoauth2-user-matches-token", pass);
    // App-only for a mailbox without FullAccess.
    EXPECT_RULE(judge(oauth_scenario(ExpectFlow::client_credentials),
                      with_identity(session("535 5.7.3 Authentication unsuccessful\r\n"),
                                    {check(0, "alice@contoso.com", "", exp, false, "wrong_user: no FullAccess")})),
                "xoauth2-user-matches-token", fail);
}

TEST(VerdictOauth, NoPasswordWhenOauthOnly) {
    Trace t = with_identity(TraceBuilder().good(), {});  // good() authenticates with AUTH LOGIN
    const Findings f = judge(oauth_scenario(), t);
    EXPECT_RULE(f, "no-password-when-oauth-only", fail);
    EXPECT_TRUE(quoted(rule(f, "no-password-when-oauth-only"), "AUTH LOGIN"));
    EXPECT_RULE(judge(oauth_scenario(), with_identity(session(), {token_ok(0, "password")})), "no-password-when-oauth-only", fail);
}

TEST(VerdictOauth, SecretsOnlyInTls) {
    // A refresh token issued in this run presented as the bearer (its fingerprint matches).
    IdentityRecord leaked = check(2000, "printer@contoso.com", "", 0, false, "bad: not a JWT", "aaaaaaaaaaaa");
    leaked.token_jwt = false;
    Trace t = with_identity(session("535 5.7.3 Authentication unsuccessful\r\n"), {token_ok(0, device_grant, "aaaaaaaaaaaa"), leaked});
    const Findings f = judge(oauth_scenario(), t);
    EXPECT_RULE(f, "secrets-only-in-tls", fail);
    EXPECT_TRUE(quoted(rule(f, "secrets-only-in-tls"), "(a refresh token as the bearer)")) << test::dump(rule(f, "secrets-only-in-tls"));
    // The client secret in a message body.
    TraceBuilder body;
    body.up_to_tls_ehlo().C(xoauth2()).S("235 ok\r\n").message(test::good_body().insert(0, "X-Debug: Exosim-Secret-1\r\n")).quit();
    EXPECT_RULE(judge(oauth_scenario(), with_identity(body, {})), "secrets-only-in-tls", fail);
    // A device code in a command.
    TraceBuilder code;
    code.up_to_tls_ehlo().C("XDEBUG DAQABAAEAAADabc\r\n").S("500 what\r\n").quit();
    EXPECT_RULE(judge(oauth_scenario(), with_identity(code, {})), "secrets-only-in-tls", fail);
    // A bearer token outside TLS.
    TraceBuilder plain;
    plain.S("220 mock\r\n").C("EHLO c\r\n").S("250-mock\r\n250 AUTH XOAUTH2\r\n").C(xoauth2()).S("235 ok\r\n").quit();
    const Findings p = judge(oauth_scenario(), with_identity(plain, {}));
    EXPECT_RULE(p, "secrets-only-in-tls", fail);
    EXPECT_TRUE(quoted(rule(p, "secrets-only-in-tls"), "(a bearer token outside TLS)"));
    EXPECT_RULE(judge(oauth_scenario(), happy()), "secrets-only-in-tls", pass);
}

TEST(VerdictOauth, LastJobDecidesTheOutcome) {
    // Job 1 delivered, job 2 made no connection (the device stopped after invalid_grant).
    Trace t = happy();
    t.job_starts = {milliseconds(0), milliseconds(60000)};
    Scenario s = oauth_scenario();
    s.expect.outcome = Outcome::not_attempted;
    EXPECT_EQ(judge(s, t).outcome, Outcome::not_attempted);
    t.job_starts = {milliseconds(0)};
    EXPECT_EQ(judge(s, t).outcome, Outcome::delivered);
}

// A declined device code: the right client asks, is declined and sends nothing. A client that
// neither connects nor asks the sign-in service did nothing, and must not pass on nothing (before,
// swaks and msmtp passed oauth-device-code-declined that way).
TEST(VerdictOauth, NoSignInAndNoConnectionIsNotAPass) {
    Scenario s = oauth_scenario();
    s.expect.outcome = Outcome::not_attempted;
    s.expect.min_attempts = 0;
    s.expect.rules = {{"token-authority", Verdict::pass}, {"device-code-polling", Verdict::pass}};
    const Trace declined = with_identity(Trace{}, {devicecode(0), req(5000, "token", device_grant, "authorization_declined")});
    const Findings right = judge(s, declined);
    EXPECT_EQ(right.verdict, Verdict::pass) << test::dump(rule(right, "token-authority"));
    const Findings idle = judge(s, with_identity(Trace{}, {}));
    EXPECT_EQ(idle.outcome, Outcome::not_attempted);
    EXPECT_EQ(rule(idle, "token-authority").verdict, Verdict::skipped);
    EXPECT_FALSE(rule(idle, "token-authority").as_expected);
    EXPECT_FALSE(rule(idle, "device-code-polling").as_expected);
    EXPECT_EQ(idle.verdict, Verdict::fail);
    // Discovery alone is not asking for a token.
    IdentityRecord discovery = req(0, "openid-configuration");
    discovery.method = "GET";
    EXPECT_EQ(judge(s, with_identity(Trace{}, {discovery})).verdict, Verdict::fail);
    // A scenario that hands the client its token keeps the old rule: nothing sent can be right.
    Scenario handed = s;
    handed.send.token = "minted";
    EXPECT_EQ(judge(handed, with_identity(Trace{}, {})).verdict, Verdict::pass);
}

TEST(Timeline, MergesIdentityAndSmtpInTimeOrder) {
    Trace t = happy();
    t.connections[0].start = milliseconds(10500);
    const std::vector<ConnectionTranscript> transcripts{build_transcript(t.connections[0], read_client_view(t.connections[0]))};
    const auto timeline = build_timeline(t, transcripts);
    ASSERT_GE(timeline.size(), 4u);
    EXPECT_EQ(timeline[0].source, "identity");
    EXPECT_EQ(timeline[0].text, "POST login.microsoftonline.com/contoso.com/oauth2/v2.0/devicecode client=" + std::string(fleet) +
                                    " scope=\"https://outlook.office.com/SMTP.Send offline_access\" -> 200 interval=5");
    EXPECT_EQ(timeline[2].t, milliseconds(10000));
    EXPECT_EQ(timeline[3].source, "exchange");
    EXPECT_EQ(timeline[3].text, "AUTH XOAUTH2 user=printer@contoso.com token(upn=printer@contoso.com, nbf=1800000000, "
                                "exp=1800003600, #f00000000001) -> accepted");
    EXPECT_EQ(timeline[4].source, "#1");
    EXPECT_EQ(timeline[4].t, milliseconds(10510));
    EXPECT_EQ(timeline[4].text, "S: 220 mock.example ESMTP");
    for (std::size_t i = 1; i < timeline.size(); ++i) EXPECT_LE(timeline[i - 1].t, timeline[i].t);
    // A run without sign-in requests keeps its transcripts only.
    EXPECT_TRUE(build_timeline(TraceBuilder().good(), transcripts).empty());
}

}  // namespace
}  // namespace exosim::scenario
