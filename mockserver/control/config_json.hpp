#pragma once
// The effective configuration as JSON for GET /config: the app prints its configuration as YAML
// (the same text --print-config shows), and this turns that document into JSON. Plain scalars
// become booleans, null or numbers when YAML 1.2's core schema reads them so; quoted ones stay strings.
#include <string_view>

#include <boost/json/value.hpp>

namespace exosim::control {

// Throws std::invalid_argument when `yaml` is not valid YAML.
boost::json::value yaml_to_json(std::string_view yaml);

}  // namespace exosim::control
