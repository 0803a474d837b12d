#pragma once
// Helpers for configuration section loaders (config.cpp, and the Exchange Online sections the
// next layer adds). Every error names "<file>:<line>:<column>: <key path>: <what>".
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include <yaml-cpp/yaml.h>

#include "app/config.hpp"

namespace exosim::app::yaml {

struct Context {
    std::string source;  // file name, or "<embedded default>"
};

[[noreturn]] void fail(const Context& ctx, const YAML::Node& at, std::string_view path, std::string_view what);
// "listeners[2]" / "listeners[2].tls"
std::string child(std::string_view parent, std::string_view key);
std::string item(std::string_view parent, std::size_t index);

// `node` must be a map whose keys are all in `allowed` (unknown keys are errors).
void check_keys(const Context& ctx, const YAML::Node& node, std::string_view path,
                std::initializer_list<std::string_view> allowed);
void require_keys(const Context& ctx, const YAML::Node& node, std::string_view path,
                  std::initializer_list<std::string_view> required);
void expect_sequence(const Context& ctx, const YAML::Node& node, std::string_view path);

std::string string(const Context& ctx, const YAML::Node& node, std::string_view path);
bool boolean(const Context& ctx, const YAML::Node& node, std::string_view path);
double number(const Context& ctx, const YAML::Node& node, std::string_view path);
std::uint64_t unsigned_integer(const Context& ctx, const YAML::Node& node, std::string_view path, std::uint64_t max);
// A non-negative number of seconds (fractions allowed), as milliseconds.
std::chrono::milliseconds seconds(const Context& ctx, const YAML::Node& node, std::string_view path);

template <class E>
E choice(const Context& ctx, const YAML::Node& node, std::string_view path,
         std::initializer_list<std::pair<std::string_view, E>> options) {
    std::string value = string(ctx, node, path);
    std::string known;
    for (const auto& [name, e] : options) {
        if (name == value) return e;
        known += known.empty() ? "" : "|";
        known += name;
    }
    fail(ctx, node, path, "'" + value + "' is not one of " + known);
}

}  // namespace exosim::app::yaml
