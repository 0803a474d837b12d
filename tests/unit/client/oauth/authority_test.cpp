#include "oauth/authority.hpp"

#include <gtest/gtest.h>

namespace exosim::client::oauth {
namespace {

TEST(OAuthAuthority, ParsesTheFormsDevicesAreGiven) {
    struct Case {
        const char* in;
        const char* host;
        const char* port;
        const char* tenant;
    };
    const Case cases[] = {
        {"https://login.microsoftonline.com/contoso.com", "login.microsoftonline.com", "443", "contoso.com"},
        {"https://login.microsoftonline.com/contoso.com/", "login.microsoftonline.com", "443", "contoso.com"},
        // Canon's field: ".../<tenant>/oauth2/v2.0" (reference entra-id-oauth.md §2).
        {"https://login.microsoftonline.com/organizations/oauth2/v2.0", "login.microsoftonline.com", "443", "organizations"},
        {"https://login.microsoftonline.com/e5b2c6f0-3a4d-4c1e-9f7a-2d8b1c0e4a11", "login.microsoftonline.com", "443",
         "e5b2c6f0-3a4d-4c1e-9f7a-2d8b1c0e4a11"},
        {"https://localhost:1443/common", "localhost", "1443", "common"},
    };
    for (const auto& c : cases) {
        std::string why;
        auto a = parse_authority(c.in, why);
        ASSERT_TRUE(a) << c.in << ": " << why;
        EXPECT_EQ(a->host, c.host);
        EXPECT_EQ(a->port, c.port);
        EXPECT_EQ(a->tenant, c.tenant);
    }
}

TEST(OAuthAuthority, BuildsEndpoints) {
    std::string why;
    auto a = parse_authority("https://login.microsoftonline.com/contoso.com", why);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->token_path(), "/contoso.com/oauth2/v2.0/token");
    EXPECT_EQ(a->devicecode_path(), "/contoso.com/oauth2/v2.0/devicecode");
    EXPECT_EQ(a->token_url(), "https://login.microsoftonline.com/contoso.com/oauth2/v2.0/token");
    EXPECT_EQ(a->authorize_url(), "https://login.microsoftonline.com/contoso.com/oauth2/v2.0/authorize");
    auto b = parse_authority("https://h:8443/t", why);
    ASSERT_TRUE(b);
    EXPECT_EQ(b->token_url(), "https://h:8443/t/oauth2/v2.0/token");
}

TEST(OAuthAuthority, RefusesWhatIsNotOne) {
    for (const char* bad : {"", "http://login.microsoftonline.com/contoso.com", "https://login.microsoftonline.com",
                            "https://login.microsoftonline.com/", "https:///contoso.com", "https://h:x/t",
                            "https://h:123456/t", "https://h/a/b", "https://h/t?x=1", "https://ho st/t"}) {
        std::string why;
        EXPECT_FALSE(parse_authority(bad, why)) << bad;
        EXPECT_FALSE(why.empty()) << bad;
    }
}

}  // namespace
}  // namespace exosim::client::oauth
