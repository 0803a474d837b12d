// Exchange's XOAUTH2 check of the service's tokens: every failure with its reason.
#include "identity/support/service_fixture.hpp"

namespace exosim::identity::testing {
namespace {

using policy::TokenStatus;

struct SmtpVerifier : ServiceFixture {
    std::shared_ptr<const policy::TokenVerifier> v;
    void SetUp() override {
        ServiceFixture::SetUp();
        v = service->smtp_verifier();
    }
    std::string delegated(std::string_view user = "printer@contoso.com") {
        MintRequest r;
        r.user = std::string(user);
        r.lifetime = std::chrono::seconds(3600);
        return service->mint(r).access_token;
    }
    std::string app_only(std::string_view tenant = "contoso.com") {
        MintRequest r;
        r.tenant = std::string(tenant);
        r.lifetime = std::chrono::seconds(3600);
        return service->mint(r).access_token;
    }
    // Re-signs `claims` with the service's current key (tokens a buggy issuer could produce).
    std::string with(const std::string& token, json::object changes, std::vector<std::string> remove = {}) {
        auto p = parse_jwt(token);
        for (auto& [k, val] : changes) p.jwt->payload[k] = val;
        for (const auto& k : remove) p.jwt->payload.erase(k);
        return sign_jwt(p.jwt->header, p.jwt->payload, crypto);
    }
    policy::TokenCheck check(const std::string& token, std::string_view user = "printer@contoso.com") {
        return v->check(token, user, *clock);
    }
};

TEST_F(SmtpVerifier, AcceptsDelegatedAndAppOnlyTokens) {
    EXPECT_TRUE(check(delegated()).ok()) << check(delegated()).reason;
    EXPECT_TRUE(check(app_only()).ok()) << check(app_only()).reason;
    // Tokens from the token endpoint, not only minted ones.
    const auto o = body(ropc("printer@contoso.com", "Printer-Pass-1"));
    EXPECT_TRUE(check(str(o, "access_token")).ok());
}

TEST_F(SmtpVerifier, MalformedAndForged) {
    auto c = check("garbage");
    EXPECT_EQ(c.status, TokenStatus::bad);
    EXPECT_EQ(c.reason, "not a JWT: not three dot-separated parts");
    const std::string t = delegated();
    const std::string forged = t.substr(0, t.rfind('.') + 1) +
                               base64url_encode(FakeCrypto::foreign_signature(t.substr(0, t.rfind('.'))));
    c = check(forged);
    EXPECT_EQ(c.status, TokenStatus::bad_signature);
    EXPECT_EQ(c.reason, "signature does not verify with kid \"kid-1\" (unknown, retired or another key)");
    auto p = parse_jwt(t);
    p.jwt->header["alg"] = "HS256";
    c = check(sign_jwt(p.jwt->header, p.jwt->payload, crypto));
    EXPECT_EQ(c.reason, "alg \"HS256\" is not RS256");
}

TEST_F(SmtpVerifier, TenantAndIssuer) {
    const std::string t = delegated();
    auto c = check(with(t, {{"tid", "b7d3a9e2-6c1f-4e8a-a5d2-9f0c3b7e1d22"}}));
    EXPECT_EQ(c.status, TokenStatus::wrong_tenant);
    EXPECT_EQ(c.reason, "tid \"b7d3a9e2-6c1f-4e8a-a5d2-9f0c3b7e1d22\" is not contoso.com's "
                        "e5b2c6f0-3a4d-4c1e-9f7a-2d8b1c0e4a11");
    c = check(with(t, {{"iss", "https://sts.windows.net/b7d3a9e2-6c1f-4e8a-a5d2-9f0c3b7e1d22/"}}));
    EXPECT_EQ(c.status, TokenStatus::wrong_issuer);
    EXPECT_TRUE(check(with(t, {{"iss", "https://login.microsoftonline.com/" + std::string(contoso) + "/v2.0"}})).ok());
    // A fabrikam mailbox with a contoso token.
    EXPECT_EQ(check(t, "device@fabrikam.com").status, TokenStatus::wrong_tenant);
}

TEST_F(SmtpVerifier, ExpiryAndNotBeforeWithFiveMinuteSkewAtNMinusOneNAndNPlusOne) {
    const std::int64_t now = unix_seconds(clock->now());
    const std::string t = delegated();
    EXPECT_TRUE(check(with(t, {{"exp", now - 299}})).ok());
    EXPECT_EQ(check(with(t, {{"exp", now - 300}})).status, TokenStatus::expired);
    EXPECT_EQ(check(with(t, {{"exp", now - 301}})).status, TokenStatus::expired);
    EXPECT_EQ(check(with(t, {{"exp", now - 301}})).reason,
              "exp " + std::to_string(now - 301) + " passed at " + std::to_string(now) + " (allowed skew 300 s)");
    EXPECT_TRUE(check(with(t, {{"nbf", now + 299}})).ok());
    EXPECT_TRUE(check(with(t, {{"nbf", now + 300}})).ok());
    EXPECT_EQ(check(with(t, {{"nbf", now + 301}})).status, TokenStatus::not_yet_valid);
    EXPECT_EQ(check(with(t, {}, {"exp"})).reason, "exp claim missing");
}

TEST_F(SmtpVerifier, DelegatedAudienceScopeAndUser) {
    const std::string t = delegated();
    auto c = check(with(t, {{"aud", "https://graph.microsoft.com"}}));
    EXPECT_EQ(c.status, TokenStatus::wrong_audience);
    EXPECT_EQ(c.reason, "aud \"https://graph.microsoft.com\" is not https://outlook.office.com");
    EXPECT_TRUE(check(with(t, {{"aud", "https://outlook.office365.com"}})).ok());
    c = check(with(t, {{"scp", "Mail.Read SMTP.SendX"}}));
    EXPECT_EQ(c.status, TokenStatus::wrong_scope);
    EXPECT_EQ(c.reason, "scp \"Mail.Read SMTP.SendX\" does not contain SMTP.Send");
    EXPECT_TRUE(check(with(t, {{"scp", "IMAP.AccessAsUser.All SMTP.Send"}})).ok());
    c = check(t, "alice@contoso.com");
    EXPECT_EQ(c.status, TokenStatus::wrong_user);
    EXPECT_EQ(c.reason, "user= alice@contoso.com is not the token's upn \"printer@contoso.com\" nor a mailbox it has "
                        "FullAccess or send-as on");
    EXPECT_TRUE(check(t, "Printer@Contoso.com").ok());
    c = check(with(t, {}, {"scp"}));
    EXPECT_EQ(c.reason, "neither scp (delegated) nor roles (app-only) is present");
}

TEST_F(SmtpVerifier, DelegatedSharedMailboxBySendAsOrFullAccess) {
    // app@ has send-as on noreply@ in the default directory.
    EXPECT_TRUE(check(delegated("app@contoso.com"), "noreply@contoso.com").ok());
    auto dir = policy::default_directory();
    for (auto& t : dir.tenants) {
        for (auto& m : t.mailboxes) {
            if (m.address == "printer@contoso.com") m.full_access = {"bob@contoso.com"};
        }
    }
    mail = std::make_shared<const policy::Directory>(dir);
    start();
    v = service->smtp_verifier();
    EXPECT_TRUE(check(delegated(), "bob@contoso.com").ok());
    EXPECT_EQ(check(delegated(), "alice@contoso.com").status, TokenStatus::wrong_user);
}

TEST_F(SmtpVerifier, AppOnlyRolesAndFullAccess) {
    const std::string t = app_only();
    auto c = check(t, "alice@contoso.com");
    EXPECT_EQ(c.status, TokenStatus::wrong_user);
    EXPECT_EQ(c.reason, "the service principal of app \"" + std::string(daemon) +
                            "\" has no FullAccess on mailbox alice@contoso.com");
    c = check(with(t, {{"aud", "https://outlook.office.com"}}));
    EXPECT_EQ(c.status, TokenStatus::wrong_audience);
    EXPECT_EQ(c.reason, "aud \"https://outlook.office.com\" is not https://outlook.office365.com");
    c = check(with(t, {{"roles", json::array{"Mail.Send"}}}));
    EXPECT_EQ(c.status, TokenStatus::wrong_role);
    EXPECT_EQ(c.reason, "roles does not contain SMTP.SendAsApp");
    EXPECT_EQ(check(with(t, {{"appid", fleet}})).status, TokenStatus::wrong_user);
}

TEST_F(SmtpVerifier, KeyRotationKeepsTheOldKeyForItsGrace) {
    const std::string old_token = delegated();
    const std::string kid = service->rotate_signing_key(std::chrono::seconds(3600));
    EXPECT_EQ(kid, "kid-2");
    const std::string new_token = delegated();
    EXPECT_EQ(str(parse_jwt(new_token).jwt->header, "kid"), "kid-2");
    EXPECT_TRUE(check(old_token).ok());
    const auto keys = body(send("GET", "/common/discovery/v2.0/keys"));
    EXPECT_EQ(keys.at("keys").as_array().size(), 2u);
    clock->advance(std::chrono::seconds(3600));
    EXPECT_EQ(check(old_token).status, TokenStatus::bad_signature);
    EXPECT_TRUE(check(new_token).ok());
    EXPECT_EQ(body(send("GET", "/common/discovery/v2.0/keys")).at("keys").as_array().size(), 1u);
}

TEST_F(SmtpVerifier, MintRejectsUnknowns) {
    MintRequest r;
    r.user = "nobody@contoso.com";
    EXPECT_EQ(service->mint(r).status, ControlStatus::unknown_user);
    r = {};
    r.tenant = "nowhere.example";
    EXPECT_EQ(service->mint(r).status, ControlStatus::unknown_tenant);
    r.client_id = "11111111-1111-4111-8111-111111111111";
    EXPECT_EQ(service->mint(r).status, ControlStatus::unknown_app);
    r = {};
    r.user = "printer@contoso.com";
    const auto m = service->mint(r);
    const auto c = claims(m.access_token);
    EXPECT_GE(c.at("exp").as_int64() - c.at("iat").as_int64(), 3600);
    EXPECT_LE(c.at("exp").as_int64() - c.at("iat").as_int64(), 5400);
}

}  // namespace
}  // namespace exosim::identity::testing
