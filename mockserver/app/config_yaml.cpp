#include "app/config_yaml.hpp"

#include <cmath>
#include <limits>

namespace exosim::app::yaml {

void fail(const Context& ctx, const YAML::Node& at, std::string_view path, std::string_view what) {
    std::string where = ctx.source;
    if (at.IsDefined() && at.Mark().line >= 0)
        where += ":" + std::to_string(at.Mark().line + 1) + ":" + std::to_string(at.Mark().column + 1);
    throw ConfigError(where + ": " + std::string(path.empty() ? "(top level)" : path) + ": " + std::string(what));
}

std::string child(std::string_view parent, std::string_view key) {
    return parent.empty() ? std::string(key) : std::string(parent) + "." + std::string(key);
}

std::string item(std::string_view parent, std::size_t index) {
    return std::string(parent) + "[" + std::to_string(index) + "]";
}

void check_keys(const Context& ctx, const YAML::Node& node, std::string_view path,
                std::initializer_list<std::string_view> allowed) {
    if (!node.IsMap()) fail(ctx, node, path, "expected a mapping");
    for (auto it = node.begin(); it != node.end(); ++it) {
        if (!it->first.IsScalar()) fail(ctx, it->first, path, "keys must be plain names");
        std::string key = it->first.Scalar();
        bool known = false;
        for (std::string_view a : allowed) known = known || a == key;
        if (known) continue;
        std::string list;
        for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        fail(ctx, it->first, child(path, key), "unknown key (allowed: " + list + ")");
    }
}

void require_keys(const Context& ctx, const YAML::Node& node, std::string_view path,
                  std::initializer_list<std::string_view> required) {
    for (std::string_view key : required)
        if (!node[std::string(key)]) fail(ctx, node, child(path, key), "missing");
}

void expect_sequence(const Context& ctx, const YAML::Node& node, std::string_view path) {
    if (!node.IsSequence()) fail(ctx, node, path, "expected a list");
}

std::string string(const Context& ctx, const YAML::Node& node, std::string_view path) {
    if (!node.IsScalar()) fail(ctx, node, path, "expected a single value");
    return node.Scalar();
}

bool boolean(const Context& ctx, const YAML::Node& node, std::string_view path) {
    std::string v = string(ctx, node, path);
    if (v == "true" || v == "yes" || v == "on") return true;
    if (v == "false" || v == "no" || v == "off") return false;
    fail(ctx, node, path, "'" + v + "' is not true or false");
}

double number(const Context& ctx, const YAML::Node& node, std::string_view path) {
    std::string v = string(ctx, node, path);
    try {
        std::size_t used = 0;
        double d = std::stod(v, &used);
        if (used == v.size() && std::isfinite(d)) return d;
    } catch (const std::exception&) {
    }
    fail(ctx, node, path, "'" + v + "' is not a number");
}

std::uint64_t unsigned_integer(const Context& ctx, const YAML::Node& node, std::string_view path, std::uint64_t max) {
    std::string v = string(ctx, node, path);
    bool digits = !v.empty() && v.size() <= 19 && v.find_first_not_of("0123456789") == std::string::npos;
    if (!digits) fail(ctx, node, path, "'" + v + "' is not a non-negative integer");
    std::uint64_t n = std::stoull(v);
    if (n > max) fail(ctx, node, path, v + " is above the maximum " + std::to_string(max));
    return n;
}

std::chrono::milliseconds seconds(const Context& ctx, const YAML::Node& node, std::string_view path) {
    double s = number(ctx, node, path);
    if (s < 0 || s > 86400.0 * 365) fail(ctx, node, path, "seconds out of range");
    return std::chrono::milliseconds(static_cast<long long>(std::llround(s * 1000.0)));
}

}  // namespace exosim::app::yaml
