#include "app/scenario_paths.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace fs = std::filesystem;
using exosim::app::default_scenario_libraries;
using exosim::app::first_scenario_library;

namespace {

struct TempTree {
    fs::path root = fs::temp_directory_path() /
                    ("exosim-scenario-paths-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                     "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    TempTree() { fs::create_directories(root); }
    ~TempTree() { fs::remove_all(root); }
    fs::path library(const std::string& name) const {
        fs::create_directories(root / name / "suites");
        return root / name;
    }
};

}  // namespace

TEST(ScenarioPaths, FirstCandidateWithSuitesWins) {
    TempTree t;
    fs::path missing = t.root / "missing";
    fs::path source = t.library("source");
    fs::path installed = t.library("installed");
    EXPECT_EQ(first_scenario_library({missing, source, installed}), source);
    EXPECT_EQ(first_scenario_library({missing, installed}), installed);
}

TEST(ScenarioPaths, ADirectoryWithoutSuitesIsSkipped) {
    TempTree t;
    fs::create_directories(t.root / "checkout-without-library");
    fs::path installed = t.library("installed");
    EXPECT_EQ(first_scenario_library({t.root / "checkout-without-library", installed}), installed);
}

TEST(ScenarioPaths, NoneFoundNamesTheLastCandidate) {
    TempTree t;
    EXPECT_EQ(first_scenario_library({t.root / "a", t.root / "b"}), t.root / "b");
    EXPECT_EQ(first_scenario_library({}), fs::path());
}

TEST(ScenarioPaths, DefaultsEndWithThePackagesLibrary) {
    auto dirs = default_scenario_libraries();
    ASSERT_GE(dirs.size(), 2u);
    EXPECT_EQ(dirs.front(), fs::path("scenarios"));
    EXPECT_EQ(dirs.back(), fs::path("/usr/share/exosim/scenarios"));
}
