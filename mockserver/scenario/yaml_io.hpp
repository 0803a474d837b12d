#pragma once
// Loading scenarios and suites from YAML files (syntax: scenarios/schema/README.md). Validation is
// strict: unknown keys, wrong types and impossible values are errors, each thrown as a ScenarioError
// whose what() reads "<file>:<line>:<column>: <key path>: <message>".
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/model.hpp"
#include "scenario/scenario_error.hpp"

namespace exosim::scenario {

// The scenario's id defaults to the file stem.
Scenario load_scenario(const std::filesystem::path& file);
// The same from text; `source` names it in errors and is its source_file.
Scenario parse_scenario_yaml(std::string_view text, const std::string& source, const std::string& default_id = "");

// Scenario paths are resolved relative to the suite file; an entry naming a directory stands for
// every *.yaml / *.yml file in it, in name order. Each resolved file must exist.
Suite load_suite(const std::filesystem::path& file);
// Loads every scenario of the suite, in order; ids must be unique within the suite.
std::vector<Scenario> load_suite_scenarios(const Suite& suite);

}  // namespace exosim::scenario
