#include "app/scenario_paths.hpp"

#include <system_error>

// Both set by mockserver/app/CMakeLists.txt; the installed path matches packaging/package.cmake.
#ifndef EXOSIM_SCENARIOS_DIR
#define EXOSIM_SCENARIOS_DIR ""
#endif
#ifndef EXOSIM_INSTALLED_SCENARIOS_DIR
#define EXOSIM_INSTALLED_SCENARIOS_DIR "/usr/share/exosim/scenarios"
#endif

namespace exosim::app {

namespace fs = std::filesystem;

fs::path first_scenario_library(const std::vector<fs::path>& candidates) {
    for (const auto& dir : candidates) {
        std::error_code ec;  // an unreadable candidate is skipped, not an error
        if (!dir.empty() && fs::is_directory(dir / "suites", ec)) return dir;
    }
    return candidates.empty() ? fs::path() : candidates.back();
}

std::vector<fs::path> default_scenario_libraries() {
    std::vector<fs::path> dirs{"scenarios"};
    if (*EXOSIM_SCENARIOS_DIR) dirs.emplace_back(EXOSIM_SCENARIOS_DIR);
    dirs.emplace_back(EXOSIM_INSTALLED_SCENARIOS_DIR);
    return dirs;
}

}  // namespace exosim::app
