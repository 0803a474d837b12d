#pragma once
// Validates a DocNode tree (from YAML or JSON) into the scenario model. One decoder for both formats,
// so a rule is checked once and its message is the same in a file and in a control API request.
// Internal to exosim::scenario.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/doc_tree.hpp"
#include "scenario/model.hpp"

namespace exosim::scenario {

class Decoder {
public:
    // `source` names the document in errors (a file path, or e.g. "request body").
    explicit Decoder(std::string source) : source_(std::move(source)) {}

    // `default_id` (a file stem) is used when the document has no `id`; empty makes `id` required.
    Scenario scenario(const DocNode& root, const std::string& default_id) const;
    ServerScript server_script(const DocNode& node, const std::string& path) const;
    // Paths in `scenarios` are returned as written; the caller resolves them.
    Suite suite(const DocNode& root, const std::string& default_name) const;

    [[noreturn]] void fail(const DocMark& at, const std::string& path, const std::string& message) const;

    // Scalar readers. `path` names the value in errors.
    std::string text(const DocNode& n, const std::string& path) const;        // a string
    std::string any_scalar(const DocNode& n, const std::string& path) const;  // string, number or boolean as text
    bool boolean(const DocNode& n, const std::string& path) const;
    std::uint64_t integer(const DocNode& n, const std::string& path, std::uint64_t min, std::uint64_t max) const;
    double number(const DocNode& n, const std::string& path) const;
    // A sequence of strings; `single_ok` also takes one scalar as a one-element list (`to: a@b`).
    std::vector<std::string> strings(const DocNode& n, const std::string& path, bool single_ok = false) const;

private:
    std::string source_;
};

// One map node being read: refuses non-maps, duplicate keys and keys outside `allowed` up front, so
// a misspelt key is an error rather than a silently ignored setting.
class MapView {
public:
    // An empty `allowed` list accepts any key (free-form maps: tenant overrides, expected rules).
    MapView(const Decoder& d, const DocNode& node, std::string path, std::initializer_list<std::string_view> allowed)
        : MapView(d, node, std::move(path), std::span<const std::string_view>(allowed.begin(), allowed.size())) {}
    MapView(const Decoder& d, const DocNode& node, std::string path, std::span<const std::string_view> allowed);

    const DocNode* find(std::string_view key) const;
    const DocNode& need(std::string_view key) const;  // error at the map when missing
    std::string path_of(std::string_view key) const;
    const std::string& path() const { return path_; }
    const DocNode& node() const { return node_; }
    const Decoder& decoder() const { return d_; }

    std::optional<std::string> text(std::string_view key) const;
    std::optional<bool> boolean(std::string_view key) const;
    std::optional<std::uint64_t> integer(std::string_view key, std::uint64_t min, std::uint64_t max) const;

private:
    const Decoder& d_;
    const DocNode& node_;
    std::string path_;
};

std::string child_path(const std::string& parent, std::string_view key);
// The `identity:` section (identity_decoder.cpp).
IdentityScript decode_identity(const MapView& m);
std::string index_path(const std::string& parent, std::size_t index);

}  // namespace exosim::scenario
