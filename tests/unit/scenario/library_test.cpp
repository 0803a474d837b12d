// The scenario library (scenarios/*.yaml and scenarios/suites/*.yaml) loads through the real loader,
// and covers what issue 4 promises: at least 50 scenarios, unique ids equal to the file stems, every
// client-side case CC-01..CC-30 of security-tests.md tagged at least once, the three ways to send,
// and two suites that only reference files that exist. The directory comes from the build
// (EXOSIM_SCENARIOS_DIR) so the test reads the tree it was built from.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "scenario/model.hpp"
#include "scenario/verdict.hpp"
#include "scenario/yaml_io.hpp"

#ifndef EXOSIM_SCENARIOS_DIR
#error "tests/CMakeLists.txt must define EXOSIM_SCENARIOS_DIR for unit_scenario"
#endif

namespace exosim::scenario {
namespace {

namespace fs = std::filesystem;

const fs::path library_dir{EXOSIM_SCENARIOS_DIR};

std::vector<fs::path> yaml_files(const fs::path& dir) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_regular_file() && (e.path().extension() == ".yaml" || e.path().extension() == ".yml"))
            out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

// Loaded once: every test below reads the same library.
const std::vector<Scenario>& library() {
    static const std::vector<Scenario> all = [] {
        std::vector<Scenario> v;
        for (const fs::path& f : yaml_files(library_dir)) v.push_back(load_scenario(f));
        return v;
    }();
    return all;
}

bool has_tag(const Scenario& s, const std::string& tag) {
    return std::find(s.tags.begin(), s.tags.end(), tag) != s.tags.end();
}

TEST(ScenarioLibrary, EveryFileLoads) {
    const auto files = yaml_files(library_dir);
    ASSERT_FALSE(files.empty()) << library_dir;
    for (const fs::path& f : files) {
        EXPECT_NO_THROW(load_scenario(f)) << f;
        try {
            load_scenario(f);
        } catch (const std::exception& e) {
            ADD_FAILURE() << e.what();  // file:line:key, as a user would see it
        }
    }
}

TEST(ScenarioLibrary, AtLeastFiftyScenarios) { EXPECT_GE(library().size(), 50u); }

TEST(ScenarioLibrary, IdsAreUniqueAndEqualTheFileStem) {
    std::set<std::string> seen;
    for (const Scenario& s : library()) {
        EXPECT_TRUE(seen.insert(s.id).second) << "duplicate id " << s.id;
        EXPECT_EQ(s.id, fs::path(s.source_file).stem().string()) << s.source_file;
    }
}

TEST(ScenarioLibrary, FileNamesAreGroupDashName) {
    for (const Scenario& s : library()) {
        const std::string stem = fs::path(s.source_file).stem().string();
        EXPECT_NE(stem.find('-'), std::string::npos) << stem << ": expected <group>-<name>";
    }
}

TEST(ScenarioLibrary, EveryClientConformanceCaseIsCovered) {
    for (int n = 1; n <= 30; ++n) {
        const std::string tag = (n < 10 ? "CC-0" : "CC-") + std::to_string(n);
        const bool covered = std::any_of(library().begin(), library().end(), [&](const Scenario& s) { return has_tag(s, tag); });
        EXPECT_TRUE(covered) << tag << " is not tagged by any scenario";
    }
}

TEST(ScenarioLibrary, EveryWayToSendIsCovered) {
    for (const std::string tag : {"submission", "direct-send", "relay-ip", "relay-cert", "tls", "auth", "throttling"}) {
        const bool covered = std::any_of(library().begin(), library().end(), [&](const Scenario& s) { return has_tag(s, tag); });
        EXPECT_TRUE(covered) << "no scenario tagged " << tag;
    }
}

TEST(ScenarioLibrary, EveryScenarioIsMeaningful) {
    const auto catalogue = rule_catalogue();
    for (const Scenario& s : library()) {
        EXPECT_FALSE(s.tags.empty()) << s.id;
        EXPECT_FALSE(s.description.empty()) << s.id;
        EXPECT_NE(s.title, s.id) << s.id << ": give it a title";
        EXPECT_FALSE(s.send.from.empty()) << s.id;
        EXPECT_FALSE(s.send.to.empty()) << s.id;
        if (s.send.auth != "none") EXPECT_FALSE(s.send.user.empty()) << s.id;
        // Rule ids in expectations must exist, or the verdict would be `error`.
        for (const auto& [rule, verdict] : s.expect.rules) {
            const bool known = rule == "outcome" ||
                               std::any_of(catalogue.begin(), catalogue.end(), [&](const RuleInfo& r) { return r.id == rule; });
            EXPECT_TRUE(known) << s.id << ": unknown rule " << rule;
        }
        // Retry scenarios must leave room for the retries they expect.
        if (s.expect.min_attempts) EXPECT_LE(*s.expect.min_attempts, s.expect.max_attempts) << s.id;
    }
}

TEST(ScenarioLibrary, EndpointsAreTheDefaultListeners) {
    const std::set<std::string> listeners{"submission", "legacy", "mx", "implicit"};
    for (const Scenario& s : library()) EXPECT_TRUE(listeners.count(s.endpoint)) << s.id << ": endpoint " << s.endpoint;
}

TEST(ScenarioLibrary, SuitesReferenceExistingFilesWithUniqueIds) {
    const auto suites = yaml_files(library_dir / "suites");
    std::map<std::string, std::size_t> sizes;
    for (const fs::path& f : suites) {
        Suite suite;
        ASSERT_NO_THROW(suite = load_suite(f)) << f;
        for (const std::string& file : suite.scenario_files) EXPECT_TRUE(fs::is_regular_file(file)) << f << ": " << file;
        std::vector<Scenario> scenarios;
        ASSERT_NO_THROW(scenarios = load_suite_scenarios(suite)) << f;
        sizes[suite.name] = scenarios.size();
    }
    ASSERT_TRUE(sizes.count("printer-certification"));
    ASSERT_TRUE(sizes.count("client-regression"));
    EXPECT_EQ(sizes["client-regression"], library().size()) << "client-regression is everything";
    EXPECT_GE(sizes["printer-certification"], 30u);
}

// The printer suite holds every scenario tagged for it, and nothing untagged: the tag is what a
// reader of a scenario file sees.
TEST(ScenarioLibrary, PrinterSuiteMatchesItsTag) {
    const Suite suite = load_suite(library_dir / "suites" / "printer-certification.yaml");
    std::set<std::string> in_suite;
    for (const Scenario& s : load_suite_scenarios(suite)) in_suite.insert(s.id);
    for (const Scenario& s : library())
        EXPECT_EQ(in_suite.count(s.id) == 1, has_tag(s, "printer-certification")) << s.id;
}

}  // namespace
}  // namespace exosim::scenario
