// GET /api/v1/identity/requests: the JSON of one sign-in request (exact document), newest first,
// and the cap on how many are kept.
#include "control/identity_requests.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

namespace exosim::control {
namespace {

identity::IdentityEvent event(std::string grant) {
    identity::IdentityEvent e;
    e.time = std::chrono::system_clock::time_point(std::chrono::seconds(1796464800));
    e.method = "POST";
    e.path = "/contoso.com/oauth2/v2.0/token";
    e.grant = std::move(grant);
    e.client_id = "c1";
    e.user = "printer@contoso.com";
    return e;
}

TEST(IdentityRequestJson, PlainRequestHasOnlyTheCoreFields) {
    EXPECT_EQ(boost::json::serialize(identity_event_json(event("device_code"))),
              R"({"type":"identity_request","time":"2026-12-05T10:00:00.000Z","method":"POST",)"
              R"("path":"/contoso.com/oauth2/v2.0/token","grant":"device_code","client_id":"c1",)"
              R"("user":"printer@contoso.com","ok":true,"status":200})");
}

TEST(IdentityRequestJson, TimelineFieldsAppearWhenSet) {
    identity::IdentityEvent e = event("refresh_token");
    e.ok = false;
    e.status = 503;
    e.error = "temporarily_unavailable";
    e.aadsts = 50001;
    e.host = "login.microsoftonline.com";
    e.scope = "https://outlook.office.com/SMTP.Send offline_access";
    e.retry_after = 30;
    e.interval = 5;
    e.refresh_used = "0123456789ab";
    e.refresh_issued = "ba9876543210";
    e.access_token_issued = true;
    e.expires_in = 3599;
    const boost::json::object o = identity_event_json(e);
    EXPECT_EQ(o.at("host"), "login.microsoftonline.com");
    EXPECT_EQ(o.at("scope"), "https://outlook.office.com/SMTP.Send offline_access");
    EXPECT_EQ(o.at("retry_after"), 30u);
    EXPECT_EQ(o.at("interval"), 5u);
    EXPECT_EQ(o.at("refresh_used"), "0123456789ab");
    EXPECT_EQ(o.at("refresh_issued"), "ba9876543210");
    EXPECT_EQ(o.at("access_token_issued"), true);
    EXPECT_EQ(o.at("expires_in"), 3599);
    EXPECT_EQ(o.at("aadsts"), 50001u);
    EXPECT_EQ(o.at("error"), "temporarily_unavailable");
}

TEST(IdentityRequests, NewestFirstAndBounded) {
    IdentityRequests log;
    for (std::size_t i = 0; i < identity_requests_kept + 3; ++i) log.record(event("g" + std::to_string(i)));
    const auto all = log.json(identity_requests_kept + 10).as_object().at("requests").as_array();
    ASSERT_EQ(all.size(), identity_requests_kept);
    EXPECT_EQ(std::string(all.front().as_object().at("grant").as_string()), "g" + std::to_string(identity_requests_kept + 2));
    EXPECT_EQ(log.json(2).as_object().at("requests").as_array().size(), 2u);
    log.clear();
    EXPECT_TRUE(log.json(5).as_object().at("requests").as_array().empty());
}

}  // namespace
}  // namespace exosim::control
