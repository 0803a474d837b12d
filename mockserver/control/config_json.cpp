#include "control/config_json.hpp"

#include <regex>
#include <stdexcept>
#include <string>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <yaml-cpp/yaml.h>

namespace exosim::control {

namespace {

// YAML 1.2 core schema (10.3.2) for plain scalars.
boost::json::value scalar(const YAML::Node& node) {
    const std::string& text = node.Scalar();
    if (node.Tag() == "!") return boost::json::string(text);  // quoted: always a string
    if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") return nullptr;
    if (text == "true" || text == "True" || text == "TRUE") return true;
    if (text == "false" || text == "False" || text == "FALSE") return false;
    static const std::regex integer("[-+]?[0-9]+");
    static const std::regex real(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
    try {
        if (std::regex_match(text, integer)) {
            if (text[0] == '-') return static_cast<std::int64_t>(std::stoll(text));
            return static_cast<std::uint64_t>(std::stoull(text));
        }
        if (std::regex_match(text, real)) return std::stod(text);
    } catch (const std::out_of_range&) {
        // too large for a JSON number we can represent exactly: keep the text
    }
    return boost::json::string(text);
}

boost::json::value convert(const YAML::Node& node) {
    switch (node.Type()) {
    case YAML::NodeType::Scalar: return scalar(node);
    case YAML::NodeType::Sequence: {
        boost::json::array out;
        for (const auto& item : node) out.push_back(convert(item));
        return out;
    }
    case YAML::NodeType::Map: {
        boost::json::object out;
        for (const auto& kv : node) out[kv.first.as<std::string>()] = convert(kv.second);
        return out;
    }
    default: return nullptr;
    }
}

}  // namespace

boost::json::value yaml_to_json(std::string_view yaml) {
    try {
        return convert(YAML::Load(std::string(yaml)));
    } catch (const YAML::Exception& e) {
        throw std::invalid_argument(std::string("configuration is not valid YAML: ") + e.what());
    }
}

}  // namespace exosim::control
