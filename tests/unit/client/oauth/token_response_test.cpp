#include "oauth/token_response.hpp"

#include <gtest/gtest.h>

namespace exosim::client::oauth {
namespace {

HttpAnswer answer(int status, std::string body, std::string retry_after = {}) {
    HttpAnswer a;
    a.status = status;
    a.body = std::move(body);
    a.retry_after = std::move(retry_after);
    return a;
}

// An Entra error envelope (reference entra-id-oauth.md §4).
std::string envelope(const std::string& error, long long code, const std::string& extra = {}) {
    return R"({"error":")" + error + R"(","error_description":"AADSTS)" + std::to_string(code) +
           R"(: text.\r\nTrace ID: x","error_codes":[)" + std::to_string(code) + "]" + extra + "}";
}

TEST(OAuthTokenReply, ParsesASuccess) {
    auto r = parse_token_reply(answer(200, R"({"token_type":"Bearer","scope":"https://outlook.office.com/SMTP.Send",)"
                                           R"("expires_in":3599,"ext_expires_in":3599,"access_token":"eyA.b.c",)"
                                           R"("refresh_token":"0.AXYZ","id_token":"i"})"));
    ASSERT_TRUE(std::holds_alternative<TokenSuccess>(r));
    const auto& s = std::get<TokenSuccess>(r);
    EXPECT_EQ(s.access_token, "eyA.b.c");
    EXPECT_EQ(s.refresh_token, "0.AXYZ");
    EXPECT_EQ(s.expires_in, 3599);
    EXPECT_EQ(s.token_type, "Bearer");
    EXPECT_EQ(s.id_token, "i");
}

TEST(OAuthTokenReply, AcceptsV1StringNumbers) {
    auto r = parse_token_reply(answer(200, R"({"access_token":"a","expires_in":"3599"})"));
    ASSERT_TRUE(std::holds_alternative<TokenSuccess>(r));
    EXPECT_EQ(std::get<TokenSuccess>(r).expires_in, 3599);
}

TEST(OAuthTokenReply, ClassifiesErrors) {
    struct Case {
        int status;
        std::string body;
        std::string retry_after;
        ErrorClass kind;
        std::string error;
    };
    const Case cases[] = {
        {400, envelope("authorization_pending", 70016), "", ErrorClass::pending, "authorization_pending"},
        {400, R"({"error":"slow_down"})", "", ErrorClass::slow_down, "slow_down"},
        {400, envelope("authorization_declined", 65004), "", ErrorClass::declined, "authorization_declined"},
        {400, envelope("expired_token", 70020), "", ErrorClass::expired, "expired_token"},
        {400, envelope("bad_verification_code", 70000), "", ErrorClass::bad_code, "bad_verification_code"},
        {400, envelope("invalid_grant", 700082), "", ErrorClass::sign_in_again, "invalid_grant"},
        {400, envelope("invalid_grant", 50173), "", ErrorClass::sign_in_again, "invalid_grant"},
        {400, envelope("invalid_grant", 70043, R"(,"suberror":"token_expired")"), "", ErrorClass::sign_in_again, "invalid_grant"},
        {400, envelope("invalid_grant", 50126), "", ErrorClass::fatal, "invalid_grant"},  // wrong password: not a dead refresh token
        {401, envelope("invalid_client", 7000215), "", ErrorClass::fatal, "invalid_client"},
        {400, envelope("invalid_scope", 70011), "", ErrorClass::fatal, "invalid_scope"},
        {503, envelope("temporarily_unavailable", 50000), "30", ErrorClass::transient, "temporarily_unavailable"},
        {503, "<html>busy</html>", "7", ErrorClass::transient, "http_503"},
        {429, "", "", ErrorClass::transient, "http_429"},
        {200, "not json", "", ErrorClass::fatal, "http_200"},
        {200, R"({"token_type":"Bearer"})", "", ErrorClass::fatal, "invalid_response"},
        {200, "[1,2]", "", ErrorClass::fatal, "http_200"},
    };
    for (const auto& c : cases) {
        auto r = parse_token_reply(answer(c.status, c.body, c.retry_after));
        ASSERT_TRUE(std::holds_alternative<TokenError>(r)) << c.body;
        const auto& e = std::get<TokenError>(r);
        EXPECT_EQ(e.kind, c.kind) << c.body;
        EXPECT_EQ(e.error, c.error) << c.body;
        EXPECT_EQ(e.http_status, c.status);
    }
}

TEST(OAuthTokenReply, KeepsCodesSuberrorAndRetryAfter) {
    auto r = parse_token_reply(answer(400, envelope("invalid_grant", 70043, R"(,"suberror":"token_expired")")));
    const auto& e = std::get<TokenError>(r);
    EXPECT_EQ(e.codes, std::vector<std::int64_t>{70043});
    EXPECT_EQ(e.suberror, "token_expired");
    EXPECT_EQ(describe(e), "invalid_grant (HTTP 400): AADSTS70043: text.");
    auto busy = std::get<TokenError>(parse_token_reply(answer(503, "", " 12 ")));
    EXPECT_EQ(busy.retry_after, 12);
}

TEST(OAuthTokenReply, NoAnswerIsTransient) {
    HttpAnswer a;
    a.transport_error = "connecting: refused";
    const TokenError e = std::get<TokenError>(parse_token_reply(a));
    EXPECT_EQ(e.kind, ErrorClass::transient);
    EXPECT_EQ(e.error, "no_answer");
    EXPECT_EQ(describe(e), "no_answer: connecting: refused");
}

TEST(OAuthRetryAfter, DeltaSecondsOnly) {
    EXPECT_EQ(parse_retry_after("0"), 0);
    EXPECT_EQ(parse_retry_after("120"), 120);
    EXPECT_EQ(parse_retry_after("999999999"), 999999999);
    for (const char* bad : {"", " ", "-1", "1.5", "1000000000", "Fri, 31 Dec 1999 23:59:59 GMT", "12a"})
        EXPECT_EQ(parse_retry_after(bad), std::nullopt) << bad;
}

TEST(OAuthDeviceCodeReply, ParsesEntrasShape) {
    // reference §3 [WIRE]
    auto r = parse_device_code_reply(answer(200, R"({"user_code":"YZMYLD4K","device_code":"HAQABAAEAAAD--DLA3VO7",)"
        R"("verification_uri":"https://www.microsoft.com/link","expires_in":900,"interval":5,"message":"To sign in..."})"));
    ASSERT_TRUE(std::holds_alternative<DeviceCode>(r));
    const auto& d = std::get<DeviceCode>(r);
    EXPECT_EQ(d.user_code, "YZMYLD4K");
    EXPECT_EQ(d.device_code, "HAQABAAEAAAD--DLA3VO7");
    EXPECT_EQ(d.verification_uri, "https://www.microsoft.com/link");
    EXPECT_EQ(d.expires_in, 900);
    EXPECT_EQ(d.interval, 5);
}

TEST(OAuthDeviceCodeReply, DefaultsAndErrors) {
    auto r = parse_device_code_reply(answer(200, R"({"user_code":"A","device_code":"B","verification_uri":"u"})"));
    EXPECT_EQ(std::get<DeviceCode>(r).interval, 5);  // RFC 8628 3.2
    auto zero = parse_device_code_reply(answer(200, R"({"user_code":"A","device_code":"B","verification_uri":"u","interval":0})"));
    EXPECT_EQ(std::get<DeviceCode>(zero).interval, 1);  // never a busy loop
    auto missing = parse_device_code_reply(answer(200, R"({"user_code":"A"})"));
    EXPECT_EQ(std::get<TokenError>(missing).error, "invalid_response");
    auto refused = parse_device_code_reply(answer(400, envelope("unauthorized_client", 70001)));
    EXPECT_EQ(std::get<TokenError>(refused).codes, std::vector<std::int64_t>{70001});
}

}  // namespace
}  // namespace exosim::client::oauth
