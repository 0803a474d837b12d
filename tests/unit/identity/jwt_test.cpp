#include "identity/jwt.hpp"

#include <gtest/gtest.h>

#include "identity/support/fake_crypto.hpp"

namespace exosim::identity {
namespace {

TEST(Jwt, Base64UrlRoundTripsAndIsStrict) {
    for (const std::string& s : std::vector<std::string>{"", "f", "fo", "foo", "foob", "fooba", "foobar", std::string("\xff\xfe\0", 3)}) {
        EXPECT_EQ(base64url_decode(base64url_encode(s)), s);
    }
    EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
    EXPECT_FALSE(base64url_decode("Zg=="));  // padding
    EXPECT_FALSE(base64url_decode("Zh"));    // non-canonical trailing bits
    EXPECT_FALSE(base64url_decode("Z"));     // impossible length
    EXPECT_FALSE(base64url_decode("Zg+/"));  // standard alphabet
    EXPECT_EQ(base64_encode_std("\xfb\xff"), "+/8=");
}

TEST(Jwt, SignedTokensParse) {
    testing::FakeCrypto crypto;
    const std::string t = sign_jwt({{"alg", "RS256"}, {"kid", "kid-1"}}, {{"exp", 5}, {"aud", "x"}}, crypto);
    const JwtParse p = parse_jwt(t);
    ASSERT_TRUE(p.jwt);
    EXPECT_EQ(string_claim(p.jwt->header, "kid"), "kid-1");
    EXPECT_EQ(time_claim(p.jwt->payload, "exp"), 5);
    EXPECT_EQ(string_claim(p.jwt->payload, "exp"), "");
    EXPECT_TRUE(crypto.verify_rs256("kid-1", p.jwt->signing_input, p.jwt->signature, {}));
}

// A NumericDate the system clock cannot hold is no date: adding a skew to it or printing it as a
// time stamp would overflow (libFuzzer: nbf 9671465400 in a client assertion).
TEST(Jwt, TimeClaimsOutsideTheClockAreNotDates) {
    const boost::json::object o{{"ok", 1796465400}, {"neg", -5}, {"frac", 12.9}, {"far", 9671465400LL},
                                {"max", INT64_MAX}, {"min", INT64_MIN}, {"huge", 1e300}, {"u", UINT64_MAX},
                                {"text", "5"}};
    EXPECT_EQ(time_claim(o, "ok"), 1796465400);
    EXPECT_EQ(time_claim(o, "neg"), -5);
    EXPECT_EQ(time_claim(o, "frac"), 12);
    for (const char* name : {"far", "max", "min", "huge", "u", "text", "absent"}) EXPECT_EQ(time_claim(o, name), std::nullopt) << name;
}

TEST(Jwt, MalformedTokensAreNamed) {
    EXPECT_EQ(parse_jwt("a.b").error, JwtError::not_three_parts);
    EXPECT_EQ(parse_jwt("a.b.c.d").error, JwtError::not_three_parts);
    EXPECT_EQ(parse_jwt("!.e30.").error, JwtError::bad_base64);
    EXPECT_EQ(parse_jwt(base64url_encode("{") + ".e30.").error, JwtError::bad_json);
    EXPECT_EQ(parse_jwt(base64url_encode("[]") + ".e30.").error, JwtError::not_object);
    EXPECT_EQ(parse_jwt("e30.e30.").error, JwtError::none);
    EXPECT_EQ(parse_jwt(std::string(max_jwt_length + 1, 'a')).error, JwtError::too_long);
    EXPECT_NE(parse_jwt("e30.e30." + std::string(max_jwt_length - 8, 'A')).error, JwtError::too_long);
}

}  // namespace
}  // namespace exosim::identity
