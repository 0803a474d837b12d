#include "identity/aadsts.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "identity/responses.hpp"

namespace exosim::identity {
namespace {

TEST(Aadsts, CatalogueHoldsEveryCodeTheReferenceAndIssueName) {
    for (unsigned code : {50126u, 50076u, 50079u, 53003u, 7000215u, 7000222u, 7000218u, 70011u, 65001u, 700016u,
                          90002u, 50034u, 50057u, 50055u, 50053u, 70016u, 70020u, 70000u, 70008u, 54005u, 501481u,
                          700082u, 50173u, 70043u, 7000012u, 900144u, 50196u, 50011u, 700027u, 90014u, 9002313u,
                          50059u, 1002012u, 70003u}) {
        const AadstsEntry* e = find_aadsts(code);
        ASSERT_NE(e, nullptr) << code;
        EXPECT_FALSE(e->text.empty()) << code;
        EXPECT_FALSE(e->source.empty()) << code;
        EXPECT_EQ(e->status, e->error == "invalid_client" ? 401u : (e->code == 90033 ? 503u : 400u)) << code;
    }
}

TEST(Aadsts, CodesAreUnique) {
    std::set<unsigned> seen;
    for (const auto& e : aadsts_catalogue()) EXPECT_TRUE(seen.insert(e.code).second) << e.code;
}

TEST(Aadsts, SuberrorsWhereEntraSendsThem) {
    EXPECT_EQ(find_aadsts(65001)->suberror, "consent_required");
    EXPECT_EQ(find_aadsts(53003)->suberror, "message_only");
    EXPECT_EQ(find_aadsts(70043)->suberror, "token_expired");
}

TEST(Aadsts, PlaceholdersAreFilled) {
    EXPECT_EQ(aad_error(900144, {"scope"}).text, "The request body must contain the following parameter: 'scope'.");
    EXPECT_EQ(aad_error_as(70000, "bad_verification_code").error, "bad_verification_code");
    EXPECT_THROW(aad_error(1), std::logic_error);
}

TEST(Aadsts, EnvelopeIsExactlyTheReferenceShape) {
    RequestIds ids{"11111111-2222-4333-8444-555555555555", "66666666-7777-4888-9999-aaaaaaaaaaaa",
                   std::chrono::system_clock::time_point(std::chrono::seconds(1796464800))};
    const HttpResponse r = error_response(aad_error(50126), ids);
    EXPECT_EQ(r.status, 400u);
    EXPECT_EQ(r.body,
              R"({"error":"invalid_grant","error_description":"AADSTS50126: Error validating credentials due to invalid )"
              R"(username or password.\r\nTrace ID: 11111111-2222-4333-8444-555555555555\r\nCorrelation ID: )"
              R"(66666666-7777-4888-9999-aaaaaaaaaaaa\r\nTimestamp: 2026-12-05 10:00:00Z","error_codes":[50126],)"
              R"("timestamp":"2026-12-05 10:00:00Z","trace_id":"11111111-2222-4333-8444-555555555555",)"
              R"("correlation_id":"66666666-7777-4888-9999-aaaaaaaaaaaa",)"
              R"("error_uri":"https://login.microsoftonline.com/error?code=50126"})");
    const std::vector<std::pair<std::string, std::string>> headers = {
        {"Content-Type", "application/json; charset=utf-8"}, {"x-ms-request-id", ids.trace_id},
        {"client-request-id", ids.correlation_id}, {"Cache-Control", "no-store, no-cache"}, {"Pragma", "no-cache"}};
    EXPECT_EQ(r.headers, headers);
    const auto consent = boost::json::parse(error_response(aad_error(65001, {"id", "name"}), ids).body).as_object();
    EXPECT_EQ(consent.at("suberror").as_string(), "consent_required");
    EXPECT_EQ(error_response(aad_error(7000215, {"x"}), ids).status, 401u);
}

TEST(Aadsts, GuidsAndTimestamps) {
    EXPECT_EQ(guid_from_bytes(std::string(16, '\0')), "00000000-0000-4000-8000-000000000000");
    EXPECT_TRUE(is_guid("e5b2c6f0-3a4d-4c1e-9f7a-2d8b1c0e4a11"));
    EXPECT_FALSE(is_guid("e5b2c6f0-3a4d-4c1e-9f7a-2d8b1c0e4a1"));
    EXPECT_FALSE(is_guid("e5b2c6f0x3a4d-4c1e-9f7a-2d8b1c0e4a11"));
    EXPECT_EQ(html_escape("<script>\"'&"), "&lt;script&gt;&quot;&#39;&amp;");
}

}  // namespace
}  // namespace exosim::identity
