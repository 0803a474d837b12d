#include "oauth/form.hpp"

#include <gtest/gtest.h>

namespace exosim::client::oauth {
namespace {

struct EncodeCase {
    const char* in;
    const char* out;
};

TEST(OAuthForm, EncodesComponents) {
    const EncodeCase cases[] = {
        {"", ""},
        {"abcXYZ019-._~", "abcXYZ019-._~"},
        {"a b", "a+b"},
        {"https://outlook.office.com/SMTP.Send offline_access", "https%3A%2F%2Foutlook.office.com%2FSMTP.Send+offline_access"},
        {"a+b&c=d", "a%2Bb%26c%3Dd"},
        {"\xC3\xA9", "%C3%A9"},
    };
    for (const auto& c : cases) EXPECT_EQ(form_encode_component(c.in), c.out) << c.in;
    EXPECT_EQ(form_encode_component(std::string("a\0b", 3)), "a%00b");
}

TEST(OAuthForm, EncodesPairsInOrder) {
    EXPECT_EQ(form_encode({{"grant_type", "client_credentials"}, {"client_id", "x y"}, {"scope", "a/b"}}),
              "grant_type=client_credentials&client_id=x+y&scope=a%2Fb");
    EXPECT_EQ(form_encode({}), "");
}

TEST(OAuthForm, DecodesQueries) {
    struct Case {
        const char* in;
        FormParams out;
    };
    const Case cases[] = {
        {"", {}},
        {"code=abc&state=x%2By", {{"code", "abc"}, {"state", "x+y"}}},
        {"a=1+2&&b", {{"a", "1 2"}, {"b", ""}}},
        {"error=access_denied&error_description=The+user+said+no", {{"error", "access_denied"}, {"error_description", "The user said no"}}},
        {"k=%e9", {{"k", "\xE9"}}},
    };
    for (const auto& c : cases) {
        auto got = form_decode(c.in);
        ASSERT_TRUE(got) << c.in;
        EXPECT_EQ(*got, c.out) << c.in;
    }
}

TEST(OAuthForm, RefusesBrokenEscapes) {
    for (const char* bad : {"a=%", "a=%4", "a=%G0", "%zz=1", "a=1&b=%0"}) EXPECT_FALSE(form_decode(bad)) << bad;
}

TEST(OAuthForm, RoundTripsEveryOctet) {
    std::string all;
    for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
    auto back = form_decode("v=" + form_encode_component(all));
    ASSERT_TRUE(back);
    EXPECT_EQ(form_get(*back, "v"), all);
    EXPECT_EQ(form_get(*back, "missing"), std::nullopt);
}

}  // namespace
}  // namespace exosim::client::oauth
