// Instance discovery, OpenID configuration and JWKS (reference §3).
#include "identity/support/service_fixture.hpp"

namespace exosim::identity::testing {
namespace {

using Discovery = ServiceFixture;

TEST_F(Discovery, Instance) {
    const auto r = send("GET", "/common/discovery/instance?api-version=1.1&authorization_endpoint="
                               "https%3A%2F%2Flogin.microsoftonline.com%2Fcontoso.com%2Foauth2%2Fv2.0%2Fauthorize");
    ASSERT_EQ(r.status, 200u);
    EXPECT_EQ(header(r, "Cache-Control"), "max-age=86400, private");
    EXPECT_EQ(r.body, R"({"tenant_discovery_endpoint":"https://login.microsoftonline.com/contoso.com/v2.0/.well-known/)"
                      R"(openid-configuration","api-version":"1.1","metadata":[{"preferred_network":)"
                      R"("login.microsoftonline.com","preferred_cache":"login.windows.net","aliases":)"
                      R"(["login.microsoftonline.com","login.windows.net","login.microsoft.com","sts.windows.net"]}]})");
}

TEST_F(Discovery, OpenIdConfigurationV2AndV1) {
    const auto v2 = body(send("GET", "/contoso.com/v2.0/.well-known/openid-configuration"));
    const std::string base = "https://login.microsoftonline.com/" + std::string(contoso);
    EXPECT_EQ(str(v2, "token_endpoint"), base + "/oauth2/v2.0/token");
    EXPECT_EQ(str(v2, "device_authorization_endpoint"), base + "/oauth2/v2.0/devicecode");
    EXPECT_EQ(str(v2, "authorization_endpoint"), base + "/oauth2/v2.0/authorize");
    EXPECT_EQ(str(v2, "jwks_uri"), base + "/discovery/v2.0/keys");
    EXPECT_EQ(str(v2, "issuer"), base + "/v2.0");
    EXPECT_EQ(str(v2, "tenant_region_scope"), "WW");
    EXPECT_EQ(str(v2, "cloud_instance_name"), "microsoftonline.com");
    EXPECT_EQ(v2.at("token_endpoint_auth_methods_supported").as_array(),
              (json::array{"client_secret_post", "private_key_jwt", "client_secret_basic"}));
    const auto common = body(send("GET", "/common/v2.0/.well-known/openid-configuration"));
    EXPECT_EQ(str(common, "issuer"), "https://login.microsoftonline.com/{tenantid}/v2.0");
    const auto v1 = body(send("GET", "/contoso.com/.well-known/openid-configuration", {}, "login.windows.net"));
    EXPECT_EQ(str(v1, "token_endpoint"), base + "/oauth2/token");
    EXPECT_EQ(str(v1, "issuer"), "https://sts.windows.net/" + std::string(contoso) + "/");
    const auto unknown = send("GET", "/nowhere.example/v2.0/.well-known/openid-configuration");
    EXPECT_EQ(unknown.status, 400u);
    EXPECT_EQ(code(unknown), 90002);
}

TEST_F(Discovery, Jwks) {
    for (const char* path : {"/common/discovery/v2.0/keys", "/contoso.com/discovery/v2.0/keys", "/common/discovery/keys"}) {
        const auto r = send("GET", path);
        ASSERT_EQ(r.status, 200u) << path;
        const auto keys = body(r).at("keys").as_array();
        ASSERT_EQ(keys.size(), 1u);
        const auto& k = keys[0].as_object();
        EXPECT_EQ(str(k, "kty"), "RSA");
        EXPECT_EQ(str(k, "use"), "sig");
        EXPECT_EQ(str(k, "kid"), "kid-1");
        EXPECT_EQ(str(k, "e"), "AQAB");
        EXPECT_FALSE(str(k, "n").empty());
        EXPECT_FALSE(str(k, "x5t").empty());
        EXPECT_EQ(k.at("x5c").as_array().size(), 1u);
        EXPECT_EQ(str(k, "issuer"), "https://login.microsoftonline.com/{tenantid}/v2.0");
    }
}

}  // namespace
}  // namespace exosim::identity::testing
