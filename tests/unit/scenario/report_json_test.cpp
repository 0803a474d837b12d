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

TEST(ReportJson, RejectsOtherDocuments) {
    EXPECT_THROW(parse_results_json("{\"schema\":\"other\"}"), std::invalid_argument);
    EXPECT_THROW(parse_results_json("[1,2"), std::invalid_argument);
    EXPECT_THROW(parse_results_json("{\"schema\":\"exosim.results/1\"}"), std::invalid_argument);
}

}  // namespace
}  // namespace exosim::scenario
