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

// The two header shapes real clients send, signed as they sign (idclients notes): msal-node's
// thumbprintSha256 default (PS256 + x5t#S256) and MSAL Python 1.21 (RS256 + x5t with '=' padding).
struct AssertionShapes : Assertion {
    std::string signed_with(json::object header, bool pss, json::object changes = {}) {
        const std::int64_t now = unix_seconds(clock->now());
        json::object p{{"aud", "https://login.microsoftonline.com/contoso.com/oauth2/v2.0/token"}, {"iss", daemon},
                       {"sub", daemon}, {"exp", now + 600}, {"nbf", now}, {"jti", "shape-" + std::to_string(n_++)}};
        for (auto& [k, v] : changes) p[k] = v;
        const std::string input = base64url_encode(json::serialize(header)) + "." + base64url_encode(json::serialize(p));
        const std::string sig = pss ? fake_certificate_pss_signature(daemon_cert, input)
                                    : fake_certificate_signature(daemon_cert, input);
        return input + "." + base64url_encode(sig);
    }
    std::string s256() const { return base64url_encode(sha256_of(daemon_cert)); }
    std::string x5t() const { return FakeCrypto::x5t_of(daemon_cert); }
};

TEST_F(AssertionShapes, Ps256WithX5tS256AsMsalNodeSendsIt) {
    const auto r = use(signed_with({{"alg", "PS256"}, {"typ", "JWT"}, {"x5t#S256", s256()}}, true));
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(str(claims(str(body(r), "access_token")), "appidacr"), "2");
    // PS256 with the SHA-1 thumbprint is a certificate credential too.
    EXPECT_EQ(use(signed_with({{"alg", "PS256"}, {"typ", "JWT"}, {"x5t", x5t()}}, true)).status, 200u);
}

TEST_F(AssertionShapes, TheSignatureMustMatchTheNamedAlgorithm) {
    const auto rs_as_ps = use(signed_with({{"alg", "PS256"}, {"typ", "JWT"}, {"x5t#S256", s256()}}, false));
    EXPECT_EQ(rs_as_ps.status, 401u);
    EXPECT_EQ(code(rs_as_ps), 700027);
    EXPECT_NE(str(body(rs_as_ps), "error_description").find("The signature does not verify"), std::string::npos);
    EXPECT_EQ(code(use(signed_with({{"alg", "RS256"}, {"typ", "JWT"}, {"x5t", x5t()}}, true))), 700027);
}

TEST_F(AssertionShapes, OtherAlgorithmsStayRefused) {
    for (const char* alg : {"none", "HS256", "ps256", "rs256", "PS384", "RS512", "ES256", ""}) {
        for (bool pss : {false, true}) {
            const auto r = use(signed_with({{"alg", alg}, {"typ", "JWT"}, {"x5t#S256", s256()}}, pss));
            EXPECT_EQ(r.status, 401u) << alg;
            EXPECT_EQ(code(r), 700027) << alg;
            EXPECT_EQ(str(body(r), "error"), "invalid_client") << alg;
            EXPECT_NE(str(body(r), "error_description").find("The assertion is not signed with RS256 or PS256."),
                      std::string::npos) << alg << " " << str(body(r), "error_description");
        }
    }
    // No alg at all.
    EXPECT_EQ(code(use(signed_with({{"typ", "JWT"}, {"x5t", x5t()}}, false))), 700027);
}

TEST_F(AssertionShapes, ThumbprintsMatchWithOrWithoutBase64Padding) {
    ASSERT_EQ(x5t().size(), 27u);    // 20 octets: one '=' when padded
    ASSERT_EQ(s256().size(), 43u);   // 32 octets: one '=' when padded
    EXPECT_EQ(use(signed_with({{"alg", "RS256"}, {"typ", "JWT"}, {"x5t", x5t() + "="}}, false)).status, 200u);
    EXPECT_EQ(use(signed_with({{"alg", "RS256"}, {"typ", "JWT"}, {"x5t", x5t()}}, false)).status, 200u);
    EXPECT_EQ(use(signed_with({{"alg", "PS256"}, {"typ", "JWT"}, {"x5t#S256", s256() + "="}}, true)).status, 200u);
    // Another certificate's thumbprint, padded or not, is still "key was not found".
    const std::string other = FakeCrypto::x5t_of(fake_certificate("someone-else"));
    for (const std::string& t : {other, other + "=", std::string("=") , std::string("!!!!"), x5t().substr(0, 26)}) {
        const auto r = use(signed_with({{"alg", "RS256"}, {"typ", "JWT"}, {"x5t", t}}, false));
        EXPECT_EQ(code(r), 700027) << t;
        EXPECT_NE(str(body(r), "error_description").find("The key was not found."), std::string::npos) << t;
    }
}

}  // namespace
}  // namespace exosim::identity::testing
