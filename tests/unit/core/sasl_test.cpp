#include <gtest/gtest.h>

#include "core/base64.hpp"
#include "core/sasl.hpp"

using namespace exosim::core;

TEST(Base64, Rfc4648Vectors) {
    const std::pair<std::string, std::string> v[] = {{"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},
                                                     {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="},
                                                     {"foobar", "Zm9vYmFy"}};
    for (const auto& [plain, enc] : v) {
        EXPECT_EQ(base64_encode(plain), enc);
        EXPECT_EQ(base64_decode(enc), plain);
    }
}

TEST(Base64, RejectsMalformed) {
    for (std::string bad : {"!!!", "Zg=", "Zg", "Z===", "=Zg=", "Zm9v\r\n", "Zm 9", "Zg==Zg==", "Zm9v="}) {
        EXPECT_FALSE(base64_decode(bad).has_value()) << bad;
    }
}

TEST(Base64, BinaryRoundTripWithNul) {
    const std::string bin("\0user\0pa\xffss", 11);
    EXPECT_EQ(base64_decode(base64_encode(bin)), bin);
    EXPECT_EQ(base64_encode(std::string("\0user\0pass", 10)), "AHVzZXIAcGFzcw==");
}

TEST(SaslPlain, ParsedByLength) {
    const Credentials c = parse_plain(std::string("authz\0user\0pass", 15));
    EXPECT_EQ(c.authzid, "authz");
    EXPECT_EQ(c.user, "user");
    EXPECT_EQ(c.secret, "pass");
    const Credentials nul = parse_plain(std::string("\0user\0pa\0ss", 11));
    EXPECT_EQ(nul.secret, std::string("pa\0ss", 5));
    EXPECT_EQ(parse_plain("nonul").user, "");
    EXPECT_EQ(parse_plain(std::string("\0only", 5)).user, "");
    EXPECT_EQ(parse_plain(format_plain("", "u", "p")).secret, "p");
}

TEST(SaslXoauth2, Fields) {
    const Credentials c = parse_xoauth2(format_xoauth2("user@contoso.com", "tok.en"));
    EXPECT_EQ(c.user, "user@contoso.com");
    EXPECT_EQ(c.secret, "tok.en");
    EXPECT_EQ(c.mechanism, "XOAUTH2");
    EXPECT_EQ(parse_xoauth2("garbage").secret, "");
    EXPECT_EQ(parse_xoauth2("user=a\x01" "auth=Basic x\x01\x01").secret, "");
}

TEST(SaslExchange, LoginTwoChallenges) {
    auto x = SaslExchange::create("login");
    ASSERT_TRUE(x);
    auto s = x->begin(std::nullopt);
    EXPECT_EQ(s.status, SaslExchange::Status::challenge);
    EXPECT_EQ(s.challenge, "VXNlcm5hbWU6");
    s = x->respond(base64_encode("user"));
    EXPECT_EQ(s.challenge, "UGFzc3dvcmQ6");
    s = x->respond(base64_encode("pass"));
    ASSERT_EQ(s.status, SaslExchange::Status::done);
    EXPECT_EQ(s.credentials.user, "user");
    EXPECT_EQ(s.credentials.secret, "pass");
}

TEST(SaslExchange, PlainInitialResponseCancelAndBadBase64) {
    auto x = SaslExchange::create("PLAIN");
    EXPECT_EQ(x->begin(std::nullopt).challenge, "");
    EXPECT_EQ(x->begin("AHVzZXIAcGFzcw==").credentials.user, "user");
    EXPECT_EQ(x->begin("=").status, SaslExchange::Status::done);  // "=" is an empty response
    EXPECT_EQ(x->respond("*").status, SaslExchange::Status::cancelled);
    EXPECT_EQ(x->respond("!!!").status, SaslExchange::Status::bad_base64);
    EXPECT_FALSE(SaslExchange::create("CRAM-MD5"));
}
