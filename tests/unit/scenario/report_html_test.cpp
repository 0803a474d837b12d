#include "scenario/report_html.hpp"

#include "report_test_support.hpp"

namespace exosim::scenario {
namespace {

TEST(ReportHtml, SelfContainedAndEscaped) {
    const std::string h = report_html(test::sample_suite());
    EXPECT_TRUE(h.starts_with("<!DOCTYPE html>"));
    EXPECT_EQ(h.find("<script"), std::string::npos);
    EXPECT_NE(h.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
    EXPECT_EQ(h.find("src="), std::string::npos);   // no external assets
    EXPECT_EQ(h.find("href=\"http"), std::string::npos);
    EXPECT_EQ(h.find("\xff"), std::string::npos);   // invalid UTF-8 replaced
    EXPECT_NE(h.find("<details><summary>Transcript, connection 1"), std::string::npos);
    EXPECT_NE(h.find("S: 220 mock &lt;b&gt;"), std::string::npos);
    EXPECT_NE(h.find("class=\"v fail\""), std::string::npos);
}

}  // namespace
}  // namespace exosim::scenario
