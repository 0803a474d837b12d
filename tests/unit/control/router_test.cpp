#include "control/router.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace exosim::control {
namespace {

namespace json = boost::json;

ApiRequest request(Method m, std::string path, std::string body = {}) {
    ApiRequest r;
    r.method = m;
    r.path = std::move(path);
    r.body = std::move(body);
    return r;
}

json::value error_of(const ApiResponse& r) { return json::parse(r.body).at("error"); }

class RouterTest : public ::testing::Test {
protected:
    void SetUp() override {
        router.add(Method::get, "/api/v1/things", [](const ApiRequest&) { return json_response(200, json::object{{"n", 0}}); });
        router.add(Method::get, "/api/v1/things/armed", [](const ApiRequest&) { return json_response(200, "armed"); });
        router.add(Method::get, "/api/v1/things/{id}", [](const ApiRequest& r) { return json_response(200, json::string(r.param("id"))); });
        router.add(Method::delete_, "/api/v1/things/{id}", [](const ApiRequest&) -> ApiResponse {
            throw ApiError(409, "busy", "thing is busy");
        });
        router.add(Method::post, "/api/v1/boom", [](const ApiRequest&) -> ApiResponse { throw std::runtime_error("kaput"); });
    }
    Router router;
};

TEST_F(RouterTest, UnknownPathIs404WithJsonError) {
    ApiResponse r = router.dispatch(request(Method::get, "/api/v1/nothing"));
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.content_type, "application/json");
    EXPECT_EQ(error_of(r).at("code"), "not_found");
    EXPECT_EQ(error_of(r).at("message"), "no such resource: /api/v1/nothing");
}

TEST_F(RouterTest, WrongMethodIs405WithAllow) {
    ApiResponse r = router.dispatch(request(Method::put, "/api/v1/things/7"));
    EXPECT_EQ(r.status, 405);
    ASSERT_EQ(r.headers.size(), 1u);
    EXPECT_EQ(r.headers[0].first, "Allow");
    EXPECT_EQ(r.headers[0].second, "GET, DELETE");
    EXPECT_EQ(error_of(r).at("code"), "method_not_allowed");
}

TEST_F(RouterTest, CapturesSegmentsAndPrefersEarlierLiteral) {
    EXPECT_EQ(router.dispatch(request(Method::get, "/api/v1/things/42")).body, "\"42\"\n");
    EXPECT_EQ(router.dispatch(request(Method::get, "/api/v1/things/armed")).body, "\"armed\"\n");
    EXPECT_EQ(router.dispatch(request(Method::get, "/api/v1/things/")).status, 200);  // trailing slash
}

TEST_F(RouterTest, ApiErrorKeepsItsStatusAndCode) {
    ApiResponse r = router.dispatch(request(Method::delete_, "/api/v1/things/1"));
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(r.body, R"({"error":{"code":"busy","message":"thing is busy"}})" "\n");
}

TEST_F(RouterTest, OtherExceptionsAre500) {
    ApiResponse r = router.dispatch(request(Method::post, "/api/v1/boom"));
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(error_of(r).at("message"), "kaput");
}

TEST_F(RouterTest, UnknownMethodIs405) {
    EXPECT_EQ(router.dispatch(request(Method::other, "/api/v1/things")).status, 405);
}

TEST(RouterAdd, RejectsDuplicatesAndRelativePatterns) {
    Router r;
    r.add(Method::get, "/a", [](const ApiRequest&) { return ApiResponse{}; });
    EXPECT_THROW(r.add(Method::get, "/a", [](const ApiRequest&) { return ApiResponse{}; }), std::invalid_argument);
    EXPECT_THROW(r.add(Method::get, "a", [](const ApiRequest&) { return ApiResponse{}; }), std::invalid_argument);
}

TEST(SplitTarget, DecodesPathAndQuery) {
    std::string path;
    std::map<std::string, std::string> query;
    ASSERT_TRUE(split_target("/api/v1/messages?to=alice%40contoso.com&since=&x=a+b", path, query));
    EXPECT_EQ(path, "/api/v1/messages");
    EXPECT_EQ(query.at("to"), "alice@contoso.com");
    EXPECT_EQ(query.at("since"), "");
    EXPECT_EQ(query.at("x"), "a b");
    ASSERT_TRUE(split_target("/a%2Bb", path, query));
    EXPECT_EQ(path, "/a+b");
}

TEST(SplitTarget, RejectsBadPercentEncoding) {
    std::string path;
    std::map<std::string, std::string> query;
    EXPECT_FALSE(split_target("/a%4", path, query));
    EXPECT_FALSE(split_target("/a%", path, query));
    EXPECT_FALSE(split_target("/a?x=%zz", path, query));
}

TEST(OriginAllowed, OnlyLoopbackOrigins) {
    EXPECT_TRUE(origin_allowed(""));
    EXPECT_TRUE(origin_allowed("http://127.0.0.1:8025"));
    EXPECT_TRUE(origin_allowed("http://localhost"));
    EXPECT_TRUE(origin_allowed("https://[::1]:9000"));
    EXPECT_FALSE(origin_allowed("http://evil.example"));
    EXPECT_FALSE(origin_allowed("http://127.0.0.1.evil.example"));
    EXPECT_FALSE(origin_allowed("http://localhost.evil.example:80"));
    EXPECT_FALSE(origin_allowed("null"));
    EXPECT_FALSE(origin_allowed("file://"));
}

TEST(Methods, RoundTrip) {
    for (Method m : {Method::get, Method::post, Method::put, Method::patch, Method::delete_, Method::head, Method::options})
        EXPECT_EQ(parse_method(method_name(m)), m);
    EXPECT_EQ(parse_method("BREW"), Method::other);
}

}  // namespace
}  // namespace exosim::control
