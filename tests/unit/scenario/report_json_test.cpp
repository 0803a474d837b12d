#include "scenario/report_json.hpp"

#include <stdexcept>

#include "report_test_support.hpp"

namespace exosim::scenario {
namespace {

TEST(ReportJson, RoundTrips) {
    const SuiteResult s = test::sample_suite();
    const std::string text = results_json(s);
    const SuiteResult back = parse_results_json(text);
    EXPECT_EQ(results_json(back), text);
    ASSERT_EQ(back.runs.size(), 3u);
    EXPECT_EQ(back.runs[1].verdict, Verdict::fail);
    EXPECT_EQ(back.runs[1].actual_outcome, Outcome::aborted);
    EXPECT_EQ(back.runs[2].actual_outcome, std::nullopt);
    EXPECT_EQ(back.runs[1].findings.size(), s.runs[1].findings.size());
    EXPECT_EQ(back.runs[1].transcripts[0].lines.size(), s.runs[1].transcripts[0].lines.size());
    EXPECT_EQ(back.runs[1].client_runs[0].exit_code, 1);
    EXPECT_EQ(back.runs[1].client_runs[0].stdout_tail, "sent\xEF\xBF\xBD\xEF\xBF\xBD ok </system-out>]]>");  // repaired UTF-8
    EXPECT_NE(text.find("\"schema\":\"exosim.results/1\""), std::string::npos);
    EXPECT_NE(text.find("\"summary\":{\"total\":3,\"pass\":1,\"fail\":1,\"error\":1,\"skipped\":0}"), std::string::npos) << text;
}

// issue 13: the sign-in requests and the timeline survive `report merge` (which reads JSON back),
// and a run without them writes neither key.
TEST(ReportJson, IdentityRequestsAndTimelineRoundTrip) {
    SuiteResult s = test::sample_suite();
    IdentityRecord r;
    r.t = std::chrono::milliseconds(5161);
    r.method = "POST";
    r.host = "login.microsoftonline.com";
    r.path = "/contoso.com/oauth2/v2.0/token";
    r.endpoint = "token";
    r.tenant_segment = "contoso.com";
    r.grant = "refresh_token";
    r.client_id = "0d3c5e7a-1b2f-4c6d-8e9a-3f5b7d9c1e33";
    r.scope = "https://outlook.office.com/SMTP.Send offline_access";
    r.status = 503;
    r.ok = false;
    r.error = "temporarily_unavailable";
    r.aadsts = 90033;
    r.retry_after = 2;
    r.refresh_used = "0123456789ab";
    IdentityRecord x;
    x.endpoint = "xoauth2";
    x.user = "printer@contoso.com";
    x.token_jwt = true;
    x.token_upn = "printer@contoso.com";
    x.token_exp = 1800003600;
    x.token_fingerprint = "f00000000001";
    s.runs[0].identity_requests = {r, x};
    s.runs[0].timeline = {{std::chrono::milliseconds(5161), "identity", "POST ...", true}};
    const std::string text = results_json(s);
    const SuiteResult back = parse_results_json(text);
    EXPECT_EQ(results_json(back), text);
    ASSERT_EQ(back.runs[0].identity_requests.size(), 2u);
    EXPECT_EQ(back.runs[0].identity_requests[1].token_exp, 1800003600);
    EXPECT_EQ(back.runs[0].identity_requests[1].token_fingerprint, "f00000000001");
    const IdentityRecord& b = back.runs[0].identity_requests[0];
    EXPECT_EQ(b.t, r.t);
    EXPECT_EQ(b.grant, "refresh_token");
    EXPECT_EQ(b.aadsts, 90033u);
    EXPECT_EQ(b.retry_after, 2u);
    EXPECT_EQ(b.refresh_used, "0123456789ab");
    EXPECT_FALSE(b.ok);
    ASSERT_EQ(back.runs[0].timeline.size(), 1u);
    EXPECT_EQ(back.runs[0].timeline[0].source, "identity");
    EXPECT_NE(text.find("\"retry_after\":2"), std::string::npos);
    EXPECT_EQ(results_json(test::sample_suite()).find("identity_requests"), std::string::npos);
}

TEST(ReportJson, RejectsOtherDocuments) {
    EXPECT_THROW(parse_results_json("{\"schema\":\"other\"}"), std::invalid_argument);
    EXPECT_THROW(parse_results_json("[1,2"), std::invalid_argument);
    EXPECT_THROW(parse_results_json("{\"schema\":\"exosim.results/1\"}"), std::invalid_argument);
}

}  // namespace
}  // namespace exosim::scenario
