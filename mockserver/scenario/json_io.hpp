#pragma once
// The scenario model as JSON (Boost.JSON) for the control API: the same keys as the YAML files, the
// same validation and messages, with errors reading "<source>: <key path>: <message>" (JSON values
// carry no positions). Raw bytes are JSON strings whose code points U+0000..U+00FF are the bytes.
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "scenario/model.hpp"
#include "scenario/scenario_error.hpp"

namespace exosim::scenario {

// `source` names the document in errors (e.g. "request body") and becomes source_file. `id` is required.
Scenario scenario_from_json(const boost::json::value& json, const std::string& source = "json");
// Parses the text first; a syntax error is a ScenarioError with key path "(syntax)".
Scenario parse_scenario_json(std::string_view text, const std::string& source = "json");

// Every field of the model except source_file; defaults are written out so the document is complete.
boost::json::value to_json(const Scenario& scenario);
boost::json::value to_json(const ServerScript& script);

}  // namespace exosim::scenario
