// The token endpoint's request checks and grants (reference §3, §4; issue 14 "Bad input").
#include "identity/support/service_fixture.hpp"

namespace exosim::identity::testing {
namespace {

using TokenEndpoint = ServiceFixture;

TEST_F(TokenEndpoint, RopcSuccessHasTheReferenceShapeAndV1Claims) {
    const HttpResponse r = ropc("printer@contoso.com", "Printer-Pass-1");
    ASSERT_EQ(r.status, 200u) << r.body;
    const auto o = body(r);
    std::vector<std::string> keys;
    for (const auto& kv : o) keys.emplace_back(kv.key());
    EXPECT_EQ(keys, (std::vector<std::string>{"token_type", "scope", "expires_in", "ext_expires_in", "access_token",
                                              "refresh_token", "id_token"}));
    EXPECT_EQ(str(o, "token_type"), "Bearer");
    EXPECT_EQ(str(o, "scope"), "https://outlook.office.com/SMTP.Send openid offline_access");
    const auto expires = o.at("expires_in").as_int64();
    EXPECT_GE(expires, 3600);
    EXPECT_LE(expires, 5400);
    EXPECT_TRUE(str(o, "refresh_token").starts_with("0.A"));
    EXPECT_EQ(header(r, "Cache-Control"), "no-store, no-cache");
    const auto at = parse_jwt(str(o, "access_token"));
    ASSERT_TRUE(at.jwt);
    EXPECT_EQ(str(at.jwt->header, "alg"), "RS256");
    EXPECT_EQ(str(at.jwt->header, "typ"), "JWT");
    EXPECT_EQ(str(at.jwt->header, "kid"), "kid-1");
    EXPECT_FALSE(str(at.jwt->header, "x5t").empty());
    const auto& c = at.jwt->payload;
    EXPECT_EQ(str(c, "aud"), "https://outlook.office.com");
    EXPECT_EQ(str(c, "iss"), "https://sts.windows.net/" + std::string(contoso) + "/");
    EXPECT_EQ(str(c, "tid"), contoso);
    EXPECT_EQ(str(c, "appid"), fleet);
    EXPECT_EQ(str(c, "appidacr"), "0");
    EXPECT_EQ(str(c, "upn"), "printer@contoso.com");
    EXPECT_EQ(str(c, "unique_name"), "printer@contoso.com");
    EXPECT_EQ(str(c, "scp"), "SMTP.Send");
    EXPECT_EQ(str(c, "ver"), "1.0");
    EXPECT_FALSE(str(c, "uti").empty());
    EXPECT_EQ(c.at("exp").as_int64() - c.at("iat").as_int64(), expires);
    const auto id = claims(str(o, "id_token"));
    EXPECT_EQ(str(id, "iss"), "https://login.microsoftonline.com/" + std::string(contoso) + "/v2.0");
    EXPECT_EQ(str(id, "aud"), fleet);
    EXPECT_EQ(str(id, "preferred_username"), "printer@contoso.com");
    EXPECT_EQ(str(id, "ver"), "2.0");
}

// certify's `identity: advance` moves the sign-in clock past the client's. The access token (read
// by Exchange) stays on the sign-in clock; the id_token (read only by the client, against its own
// clock: MSAL refuses nbf over 120 s ahead) is dated on the client's time.
class AheadClock final : public policy::Clock {
public:
    std::chrono::system_clock::time_point now() const override {
        return std::chrono::system_clock::time_point(std::chrono::seconds(1796464800 + 30 * 86400));
    }
    std::chrono::seconds ahead_of_clients() const override { return std::chrono::seconds(30 * 86400); }
};

TEST(TokenEndpointClock, IdTokenIsDatedOnTheClientsClock) {
    FakeCrypto crypto;
    MemoryLog log;
    auto mail = std::make_shared<const policy::Directory>(policy::default_directory());
    IdentityService service(default_identity_directory(mail, fake_certificate("scan-daemon")), std::make_shared<AheadClock>(),
                            crypto, log, IdentitySettings{});
    HttpRequest r;
    r.method = "POST";
    r.target = "/contoso.com/oauth2/v2.0/token";
    r.headers = {{"Host", "login.microsoftonline.com"}, {"Content-Type", "application/x-www-form-urlencoded"}};
    r.body = form({{"grant_type", "password"}, {"client_id", fleet}, {"username", "printer@contoso.com"},
                   {"password", "Printer-Pass-1"}, {"scope", smtp_scope}});
    const HttpResponse res = service.handle(r);
    ASSERT_EQ(res.status, 200u) << res.body;
    const auto o = ServiceFixture::body(res);
    const auto id = ServiceFixture::claims(ServiceFixture::str(o, "id_token"));
    EXPECT_EQ(id.at("nbf").as_int64(), 1796464800);
    EXPECT_EQ(id.at("iat").as_int64(), 1796464800);
    EXPECT_EQ(id.at("exp").as_int64(), 1796464800 + 3600);
    const auto at = ServiceFixture::claims(ServiceFixture::str(o, "access_token"));
    EXPECT_EQ(at.at("iat").as_int64(), 1796464800 + 30 * 86400);
}

TEST_F(TokenEndpoint, NoRefreshTokenWithoutOfflineAccessNoIdTokenWithoutOpenid) {
    const auto o = body(ropc("printer@contoso.com", "Printer-Pass-1", "https://outlook.office.com/SMTP.Send"));
    EXPECT_FALSE(o.contains("refresh_token"));
    EXPECT_FALSE(o.contains("id_token"));
    EXPECT_TRUE(o.contains("access_token"));
}

TEST_F(TokenEndpoint, RopcUserStates) {
    EXPECT_EQ(code(ropc("printer@contoso.com", "wrong")), 50126);
    EXPECT_EQ(code(ropc("nobody@contoso.com", "x")), 50034);
    EXPECT_EQ(code(ropc("mfa@contoso.com", "Mfa-Pass-1")), 50076);
    EXPECT_EQ(code(ropc("blocked@contoso.com", "Blocked-Pass-1")), 53003);
    EXPECT_EQ(str(body(ropc("blocked@contoso.com", "Blocked-Pass-1")), "suberror"), "message_only");
    EXPECT_EQ(code(ropc("device@fabrikam.com", "Device-Pass-1")), 50034);  // not in contoso
    SignInChange c;
    c.disabled = true;
    service->change_sign_in("printer@contoso.com", c);
    EXPECT_EQ(code(ropc("printer@contoso.com", "Printer-Pass-1")), 50057);
    c = {};
    c.disabled = false;
    c.password_expired = true;
    service->change_sign_in("printer@contoso.com", c);
    EXPECT_EQ(code(ropc("printer@contoso.com", "Printer-Pass-1")), 50055);
    c = {};
    c.password_expired = false;
    c.locked = true;
    service->change_sign_in("printer@contoso.com", c);
    EXPECT_EQ(code(ropc("printer@contoso.com", "Printer-Pass-1")), 50053);
}

TEST_F(TokenEndpoint, RequestShapeErrors) {
    EXPECT_EQ(code(token(form({{"client_id", fleet}}))), 900144);
    EXPECT_EQ(code(token(form({{"grant_type", "password"}}))), 900144);
    const auto unsupported = token(form({{"grant_type", "implicit"}, {"client_id", fleet}}));
    EXPECT_EQ(str(body(unsupported), "error"), "unsupported_grant_type");
    EXPECT_EQ(code(unsupported), 70003);
    const auto dup = token("grant_type=password&grant_type=password&client_id=" + std::string(fleet));
    EXPECT_EQ(str(body(dup), "error"), "invalid_request");
    EXPECT_EQ(code(dup), 9002313);
    EXPECT_EQ(code(token("a=%zz")), 9002313);
    EXPECT_EQ(code(token(std::string(64 * 1024 + 1, 'a'))), 9002313);
    const auto json_body = send("POST", "/contoso.com/oauth2/v2.0/token", "{}", login_host,
                                {{"Content-Type", "application/json"}});
    EXPECT_EQ(code(json_body), 90023);  // two Content-Type headers count as wrong too
    HttpRequest r;
    r.method = "POST";
    r.target = "/contoso.com/oauth2/v2.0/token";
    r.headers = {{"Host", "login.microsoftonline.com"}, {"Content-Type", "application/json"}};
    EXPECT_EQ(code(service->handle(r)), 90023);
    r.headers[1].second = "application/x-www-form-urlencoded; charset=utf-8";
    r.body = form({{"grant_type", "password"}, {"client_id", fleet}, {"username", "printer@contoso.com"},
                   {"password", "Printer-Pass-1"}, {"scope", "https://outlook.office.com/SMTP.Send"}});
    EXPECT_EQ(service->handle(r).status, 200u);
    EXPECT_EQ(code(send("GET", "/contoso.com/oauth2/v2.0/token")), 900561);
}

TEST_F(TokenEndpoint, TenantsAndClients) {
    const auto unknown = token(form({{"grant_type", "password"}, {"client_id", fleet}}), "nowhere.example");
    EXPECT_EQ(str(body(unknown), "error"), "invalid_tenant");
    EXPECT_EQ(code(unknown), 90002);
    EXPECT_EQ(code(ropc("printer@contoso.com", "Printer-Pass-1", smtp_scope, "11111111-1111-4111-8111-111111111111")),
              700016);
    for (std::string_view t : {"common", "organizations", "contoso.com", "e5b2c6f0-3a4d-4c1e-9f7a-2d8b1c0e4a11"}) {
        const auto r = token(form({{"grant_type", "password"}, {"client_id", fleet}, {"username", "printer@contoso.com"},
                                   {"password", "Printer-Pass-1"}, {"scope", smtp_scope}}), t);
        EXPECT_EQ(r.status, 200u) << t;
    }
    // Single-tenant app used in another tenant.
    EXPECT_EQ(code(token(form({{"grant_type", "password"}, {"client_id", fleet}, {"username", "device@fabrikam.com"},
                               {"password", "Device-Pass-1"}, {"scope", smtp_scope}}), "fabrikam.com")), 700016);
    // Multi-tenant vendor app: consented in contoso, not in fabrikam.
    EXPECT_EQ(token(form({{"grant_type", "password"}, {"client_id", vendor}, {"username", "printer@contoso.com"},
                          {"password", "Printer-Pass-1"}, {"scope", smtp_scope}})).status, 200u);
    const auto fab = token(form({{"grant_type", "password"}, {"client_id", vendor}, {"username", "device@fabrikam.com"},
                                 {"password", "Device-Pass-1"}, {"scope", smtp_scope}}), "fabrikam.com");
    EXPECT_EQ(code(fab), 65001);
    EXPECT_EQ(str(body(fab), "suberror"), "consent_required");
}

TEST_F(TokenEndpoint, ScopesNeedPermissionAndConsent) {
    EXPECT_EQ(code(ropc("printer@contoso.com", "Printer-Pass-1", "https://outlook.office.com/SMTP.SendAsApp")), 70011);
    EXPECT_EQ(code(ropc("printer@contoso.com", "Printer-Pass-1", "https://graph.microsoft.com/Mail.Send")), 65001);
    EXPECT_EQ(code(ropc("printer@contoso.com", "Printer-Pass-1",
                        "https://outlook.office.com/SMTP.Send https://graph.microsoft.com/Mail.Send")), 70011);
    EXPECT_EQ(code(token(form({{"grant_type", "password"}, {"client_id", fleet}, {"username", "printer@contoso.com"},
                               {"password", "Printer-Pass-1"}}))), 900144);
    ASSERT_EQ(service->set_consent(fleet, "contoso.com", false), ControlStatus::ok);
    EXPECT_EQ(code(ropc("printer@contoso.com", "Printer-Pass-1")), 65001);
    const auto dflt = body(ropc("printer@contoso.com", "Printer-Pass-1", "https://outlook.office.com/.default"));
    EXPECT_EQ(str(dflt, "error"), "invalid_grant");
    service->set_consent(fleet, "contoso.com", true);
    const auto ok = body(ropc("printer@contoso.com", "Printer-Pass-1", "https://outlook.office.com/.default"));
    EXPECT_EQ(str(claims(str(ok, "access_token")), "scp"), "SMTP.Send");
}

std::string cc(std::string_view secret, std::string_view scope = "https://outlook.office365.com/.default") {
    return form({{"grant_type", "client_credentials"}, {"client_id", daemon}, {"client_secret", secret}, {"scope", scope}});
}

TEST_F(TokenEndpoint, ClientCredentialsWithSecret) {
    const HttpResponse r = token(cc("Exosim-Secret-1"));
    ASSERT_EQ(r.status, 200u) << r.body;
    const auto o = body(r);
    EXPECT_FALSE(o.contains("refresh_token"));
    EXPECT_FALSE(o.contains("id_token"));
    EXPECT_EQ(str(o, "scope"), "https://outlook.office365.com/.default");
    const auto c = claims(str(o, "access_token"));
    EXPECT_EQ(str(c, "aud"), "https://outlook.office365.com");
    EXPECT_EQ(c.at("roles").as_array(), (json::array{"SMTP.SendAsApp"}));
    EXPECT_FALSE(c.contains("scp"));
    EXPECT_FALSE(c.contains("upn"));
    EXPECT_EQ(str(c, "appidacr"), "1");
    EXPECT_FALSE(str(c, "oid").empty());
}

TEST_F(TokenEndpoint, ClientCredentialsErrors) {
    const auto wrong = token(cc("nope"));
    EXPECT_EQ(wrong.status, 401u);
    EXPECT_EQ(str(body(wrong), "error"), "invalid_client");
    EXPECT_EQ(code(wrong), 7000215);
    EXPECT_EQ(code(token(cc("Exosim-Secret-1", "https://outlook.office.com/SMTP.Send"))), 1002012);
    EXPECT_EQ(code(token(cc("Exosim-Secret-1", "https://graph.microsoft.com/.default"))), 70011);
    EXPECT_EQ(code(token(cc("Exosim-Secret-1"), "common")), 50059);
    EXPECT_EQ(code(token(form({{"grant_type", "client_credentials"}, {"client_id", daemon},
                               {"scope", "https://outlook.office365.com/.default"}}))), 7000218);
    EXPECT_EQ(code(token(form({{"grant_type", "client_credentials"}, {"client_id", fleet}, {"client_secret", "x"},
                               {"scope", "https://outlook.office365.com/.default"}}))), 700025);
    ASSERT_EQ(service->expire_app_secrets(daemon), ControlStatus::ok);
    const auto expired = token(cc("Exosim-Secret-1"));
    EXPECT_EQ(code(expired), 7000222);
    EXPECT_EQ(expired.status, 401u);
}

TEST_F(TokenEndpoint, ClientCredentialsWithBasicAuth) {
    const std::string basic = "Basic " + base64_encode_std(std::string(daemon) + ":Exosim-Secret-1");
    const auto r = send("POST", "/contoso.com/oauth2/v2.0/token",
                        form({{"grant_type", "client_credentials"}, {"scope", "https://outlook.office365.com/.default"}}),
                        login_host, {{"Authorization", basic}});
    EXPECT_EQ(r.status, 200u) << r.body;
    const std::string bad = "Basic " + base64_encode_std(std::string(daemon) + ":wrong");
    EXPECT_EQ(code(send("POST", "/contoso.com/oauth2/v2.0/token",
                        form({{"grant_type", "client_credentials"}, {"scope", "https://outlook.office365.com/.default"}}),
                        login_host, {{"Authorization", bad}})), 7000215);
}

TEST_F(TokenEndpoint, ConsentRemovedFromTheDaemon) {
    service->set_consent(daemon, "contoso.com", false);
    EXPECT_EQ(code(token(cc("Exosim-Secret-1"))), 65001);
}

TEST_F(TokenEndpoint, V1TokenEndpointTakesResource) {
    const auto r = send("POST", "/contoso.com/oauth2/token",
                        form({{"grant_type", "client_credentials"}, {"client_id", daemon}, {"client_secret", "Exosim-Secret-1"},
                              {"resource", "https://outlook.office365.com"}}));
    ASSERT_EQ(r.status, 200u) << r.body;
    const auto o = body(r);
    EXPECT_EQ(str(o, "resource"), "https://outlook.office365.com");
    EXPECT_FALSE(str(o, "expires_on").empty());
    const auto d = send("POST", "/contoso.com/oauth2/token",
                        form({{"grant_type", "password"}, {"client_id", fleet}, {"username", "printer@contoso.com"},
                              {"password", "Printer-Pass-1"}, {"resource", "https://outlook.office.com"}}));
    ASSERT_EQ(d.status, 200u) << d.body;
    EXPECT_EQ(str(claims(str(body(d), "access_token")), "scp"), "SMTP.Send");
    EXPECT_TRUE(body(d).contains("refresh_token"));
}

TEST_F(TokenEndpoint, CorrelationIdEchoesTheClientRequestId) {
    const std::string id = "0a1b2c3d-0000-4000-8000-000000000001";
    const auto r = send("POST", "/contoso.com/oauth2/v2.0/token", cc("nope"), login_host, {{"client-request-id", id}});
    EXPECT_EQ(str(body(r), "correlation_id"), id);
    EXPECT_NE(str(body(r), "error_description").find("Correlation ID: " + id), std::string::npos);
    EXPECT_EQ(header(r, "client-request-id"), id);
}

TEST_F(TokenEndpoint, FaultsAreCountLimited) {
    service->set_token_fault(TokenEndpointFault{503, std::chrono::seconds(7), {}, false, 2});
    for (int i = 0; i < 2; ++i) {
        const auto r = token(cc("Exosim-Secret-1"));
        EXPECT_EQ(r.status, 503u);
        EXPECT_EQ(header(r, "Retry-After"), "7");
    }
    EXPECT_EQ(token(cc("Exosim-Secret-1")).status, 200u);
    service->set_token_fault(TokenEndpointFault{0, {}, std::chrono::milliseconds(1500), false, 0});
    const auto slow = token(cc("Exosim-Secret-1"));
    EXPECT_EQ(slow.status, 200u);
    EXPECT_EQ(slow.delay, std::chrono::milliseconds(1500));
    service->set_token_fault(TokenEndpointFault{0, {}, {}, true, 0});
    EXPECT_TRUE(token(cc("Exosim-Secret-1")).close_without_response);
    service->set_token_fault(std::nullopt);
    EXPECT_FALSE(token(cc("Exosim-Secret-1")).close_without_response);
}

TEST_F(TokenEndpoint, ClockSkewMovesNbf) {
    service->set_clock_skew(std::chrono::seconds(600));
    const auto c = claims(str(body(token(cc("Exosim-Secret-1"))), "access_token"));
    EXPECT_EQ(c.at("nbf").as_int64() - c.at("iat").as_int64(), 600);
}

TEST_F(TokenEndpoint, EventsNeverCarrySecrets) {
    token(cc("Exosim-Secret-1"));
    ropc("printer@contoso.com", "Printer-Pass-1");
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].grant, "client_credentials");
    EXPECT_EQ(events[0].client_id, daemon);
    EXPECT_TRUE(events[0].ok);
    EXPECT_EQ(events[1].user, "printer@contoso.com");
    EXPECT_EQ(events[1].path, "/contoso.com/oauth2/v2.0/token");
    ropc("printer@contoso.com", "wrong");
    EXPECT_FALSE(events[2].ok);
    EXPECT_EQ(events[2].aadsts, 50126u);
    EXPECT_EQ(events[2].error, "invalid_grant");
    EXPECT_EQ(events[2].status, 400u);
    for (const auto& e : events) {
        for (const std::string* f : {&e.method, &e.path, &e.grant, &e.client_id, &e.user, &e.error}) {
            EXPECT_EQ(f->find("Secret"), std::string::npos);
            EXPECT_EQ(f->find("Pass"), std::string::npos);
            EXPECT_EQ(f->find("0.A"), std::string::npos);
            EXPECT_EQ(f->find("eyJ"), std::string::npos);
        }
    }
}

}  // namespace
}  // namespace exosim::identity::testing
