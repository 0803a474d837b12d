// Where `exosim certify --suite NAME` finds the scenario library when --scenarios-dir is not given.
#pragma once

#include <filesystem>
#include <vector>

namespace exosim::app {

// The first candidate holding a suites/ directory; if none does, the last candidate (so the
// "no such suite" error names where the installed library belongs).
std::filesystem::path first_scenario_library(const std::vector<std::filesystem::path>& candidates);

// This build's candidates, in order: ./scenarios (run from a checkout), the source tree the binary
// was built from, then the library the Debian package installs (/usr/share/exosim/scenarios).
std::vector<std::filesystem::path> default_scenario_libraries();

}  // namespace exosim::app
