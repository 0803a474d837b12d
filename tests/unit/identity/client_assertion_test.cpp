// Client credentials with a certificate (private_key_jwt): forged, expired, foreign, replayed.
#include "identity/support/service_fixture.hpp"

namespace exosim::identity::testing {
namespace {

struct Assertion : ServiceFixture {
    std::string make(json::object changes = {}, std::string_view pem = {}, bool s256 = false,
                     std::vector<std::string> remove = {}) {
        const std::string cert = pem.empty() ? daemon_cert : std::string(pem);
        json::object h{{"alg", "RS256"}, {"typ", "JWT"}};
        if (s256) h["x5t#S256"] = base64url_encode(sha256_of(cert));
        else h["x5t"] = FakeCrypto::x5t_of(cert);
        const std::int64_t now = unix_seconds(clock->now());
        json::object p{{"aud", "https://login.microsoftonline.com/contoso.com/oauth2/v2.0/token"},
                       {"iss", daemon}, {"sub", daemon}, {"exp", now + 600}, {"nbf", now}, {"jti", "jti-" + std::to_string(n_++)}};
        for (auto& [k, v] : changes) p[k] = v;
        for (const auto& k : remove) p.erase(k);
        const std::string input = base64url_encode(json::serialize(h)) + "." + base64url_encode(json::serialize(p));
        return input + "." + base64url_encode(fake_certificate_signature(cert, input));
    }
    HttpResponse use(const std::string& assertion, std::string_view tenant = "contoso.com") {
        return token(form({{"grant_type", "client_credentials"}, {"client_id", daemon},
                           {"client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
                           {"client_assertion", assertion}, {"scope", "https://outlook.office365.com/.default"}}),
                     tenant);
    }
    int n_ = 0;
};

TEST_F(Assertion, CertificateAuthenticatesTheDaemon) {
    const auto r = use(make());
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(str(claims(str(body(r), "access_token")), "appidacr"), "2");
    EXPECT_EQ(use(make({}, {}, true)).status, 200u);
    // The v1 token URL and the tenant GUID are accepted audiences too.
    EXPECT_EQ(use(make({{"aud", "https://login.microsoftonline.com/" + std::string(contoso) + "/oauth2/token"}})).status, 200u);
    EXPECT_EQ(use(make({{"aud", "https://login.microsoftonline.com/" + std::string(contoso) + "/oauth2/v2.0/token"}}),
                  contoso).status, 200u);
}

TEST_F(Assertion, ForgedForeignExpiredReplayed) {
    const std::string good = make();
    const std::string forged = good.substr(0, good.rfind('.') + 1) + base64url_encode(std::string(32, 'x'));
    auto r = use(forged);
    EXPECT_EQ(r.status, 401u);
    EXPECT_EQ(code(r), 700027);
    EXPECT_EQ(code(use(make({}, fake_certificate("someone-else")))), 700027);  // foreign certificate
    const std::int64_t now = unix_seconds(clock->now());
    EXPECT_EQ(code(use(make({{"exp", now - 301}}))), 700024);
    EXPECT_EQ(use(make({{"exp", now - 299}})).status, 200u);
    EXPECT_EQ(code(use(make({{"nbf", now + 301}}))), 700024);
    EXPECT_EQ(code(use(make({{"aud", "https://login.microsoftonline.com/fabrikam.com/oauth2/v2.0/token"}}))), 700027);
    EXPECT_EQ(code(use(make({{"iss", fleet}}))), 700021);
    EXPECT_EQ(code(use(make({}, {}, false, {"jti"}))), 90014);
    EXPECT_EQ(code(use(make({}, {}, false, {"exp"}))), 90014);
    EXPECT_EQ(use(good).status, 200u);
    EXPECT_EQ(code(use(good)), 700027);  // jti replay
    EXPECT_EQ(code(use("not-a-jwt")), 700027);
}

TEST_F(Assertion, ExpiredCertificateAndWrongAssertionType) {
    const std::string old = fake_certificate("old", unix_seconds(clock->now()) - 1);
    daemon_cert = old;
    start();
    EXPECT_EQ(code(use(make({}, old))), 700027);
    EXPECT_EQ(code(token(form({{"grant_type", "client_credentials"}, {"client_id", daemon},
                               {"client_assertion_type", "urn:other"}, {"client_assertion", make()},
                               {"scope", "https://outlook.office365.com/.default"}}))), 90100);
}

}  // namespace
}  // namespace exosim::identity::testing
