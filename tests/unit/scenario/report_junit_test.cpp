#include "scenario/report_junit.hpp"

#include <vector>

#include "report_test_support.hpp"

namespace exosim::scenario {
namespace {

// Minimal XML well-formedness check: balanced tags, quoted attributes, only the five
// predefined entities or numeric references, no raw '<' or '&' in text.
bool well_formed(const std::string& x, std::string& why) {
    std::vector<std::string> stack;
    std::size_t i = x.find("?>");
    if (!x.starts_with("<?xml") || i == std::string::npos) return why = "no declaration", false;
    for (i += 2; i < x.size(); ++i) {
        if (x[i] == '&') {
            const std::size_t semi = x.find(';', i);
            const std::string ent = x.substr(i + 1, semi - i - 1);
            if (semi == std::string::npos || !(ent == "amp" || ent == "lt" || ent == "gt" || ent == "quot" || ent == "apos" || ent[0] == '#'))
                return why = "bad entity at " + std::to_string(i), false;
            continue;
        }
        if (x[i] != '<') continue;
        const std::size_t end = x.find('>', i);
        if (end == std::string::npos) return why = "unterminated tag", false;
        std::string tag = x.substr(i + 1, end - i - 1);
        if (std::count(tag.begin(), tag.end(), '"') % 2 != 0 || tag.find('<') != std::string::npos) return why = "bad tag " + tag, false;
        if (tag.starts_with("/")) {
            if (stack.empty() || stack.back() != tag.substr(1)) return why = "mismatched </" + tag + ">", false;
            stack.pop_back();
        } else if (!tag.ends_with("/")) {
            stack.push_back(tag.substr(0, tag.find(' ')));
        }
        i = end;
    }
    if (!stack.empty()) return why = "unclosed <" + stack.back() + ">", false;
    return true;
}

TEST(ReportJunit, WellFormedWithOneTestcasePerScenario) {
    const std::string x = junit_xml(test::sample_suite());
    std::string why;
    EXPECT_TRUE(well_formed(x, why)) << why << "\n" << x;
    EXPECT_NE(x.find("<testsuite name=\"printer-certification\" tests=\"3\" failures=\"1\" errors=\"1\" skipped=\"0\""), std::string::npos) << x;
    EXPECT_NE(x.find("<failure message=\"not as expected: outcome, starttls-before-credentials, no-plaintext-credentials, no-plaintext-mail"),
              std::string::npos) << x;
    EXPECT_NE(x.find("    C 0.040s [plain] AUTH PLAIN &lt;initial response, 20 octets&gt;"), std::string::npos) << x;
    EXPECT_NE(x.find("<error message=\"client command not found: ./printer-sim &lt;x&gt;\""), std::string::npos);
    EXPECT_NE(x.find("C: EHLO c"), std::string::npos);
    EXPECT_EQ(x.find("<script>"), std::string::npos);
    EXPECT_EQ(x.find('\x01'), std::string::npos);
    EXPECT_EQ(x.find("\xff"), std::string::npos);
    EXPECT_NE(x.find("sent\xEF\xBF\xBD\xEF\xBF\xBD ok &lt;/system-out&gt;]]&gt;"), std::string::npos);
}

}  // namespace
}  // namespace exosim::scenario
