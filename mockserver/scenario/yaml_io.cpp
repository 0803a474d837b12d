// YAML front end: yaml-cpp nodes into DocNode trees (with 1-based marks), then the shared Decoder.
#include "scenario/yaml_io.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "scenario/model_decoder.hpp"

namespace exosim::scenario {

namespace fs = std::filesystem;

namespace {

// yaml-cpp marks are 0-based; null nodes it synthesises have no mark (-1), shown as 1:1.
DocMark to_mark(const YAML::Mark& m) {
    if (m.line < 0) return {1, 1};
    return {m.line + 1, m.column + 1};
}

DocNode to_doc(const YAML::Node& node, const std::string& source) {
    DocNode out;
    out.mark = to_mark(node.Mark());
    switch (node.Type()) {
        case YAML::NodeType::Scalar:
            out.kind = DocNode::Kind::scalar;
            out.scalar = node.Scalar();
            break;
        case YAML::NodeType::Sequence:
            out.kind = DocNode::Kind::sequence;
            for (const auto& item : node) out.items.push_back(to_doc(item, source));
            break;
        case YAML::NodeType::Map:
            out.kind = DocNode::Kind::map;
            for (const auto& kv : node) {
                if (!kv.first.IsScalar()) {
                    const DocMark at = to_mark(kv.first.Mark());
                    throw ScenarioError(source, at.line, at.column, "(syntax)", "map keys must be plain strings");
                }
                out.keys.push_back(kv.first.Scalar());
                out.key_marks.push_back(to_mark(kv.first.Mark()));
                out.items.push_back(to_doc(kv.second, source));
            }
            break;
        default:
            out.kind = DocNode::Kind::null;
    }
    return out;
}

DocNode parse_yaml(std::string_view text, const std::string& source) {
    try {
        return to_doc(YAML::Load(std::string(text)), source);
    } catch (const YAML::ParserException& e) {
        const DocMark at = to_mark(e.mark);
        throw ScenarioError(source, at.line, at.column, "(syntax)", e.msg);
    }
}

std::string read_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw ScenarioError(file.string(), 0, 0, "(file)", "cannot open the file");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

bool is_yaml_file(const fs::path& p) {
    return fs::is_regular_file(p) && (p.extension() == ".yaml" || p.extension() == ".yml");
}

// One `scenarios:` entry: a file, or a directory standing for its YAML files in name order.
std::vector<std::string> resolve_entry(const fs::path& base, const std::string& entry, const DocMark& at,
                                       const std::string& source, const std::string& path) {
    const fs::path p = (base / entry).lexically_normal();
    if (fs::is_directory(p)) {
        std::vector<std::string> files;
        for (const auto& e : fs::directory_iterator(p)) {
            if (is_yaml_file(e.path())) files.push_back(e.path().string());
        }
        std::sort(files.begin(), files.end());
        if (files.empty()) throw ScenarioError(source, at.line, at.column, path, "directory " + p.string() + " holds no .yaml files");
        return files;
    }
    if (!fs::is_regular_file(p)) throw ScenarioError(source, at.line, at.column, path, "no such scenario file: " + p.string());
    return {p.string()};
}

}  // namespace

Scenario parse_scenario_yaml(std::string_view text, const std::string& source, const std::string& default_id) {
    return Decoder(source).scenario(parse_yaml(text, source), default_id);
}

Scenario load_scenario(const fs::path& file) {
    return parse_scenario_yaml(read_file(file), file.string(), file.stem().string());
}

Suite load_suite(const fs::path& file) {
    const std::string source = file.string();
    const DocNode root = parse_yaml(read_file(file), source);
    Suite suite = Decoder(source).suite(root, file.stem().string());
    // The decoder validated `scenarios`; its items carry the marks for resolution errors.
    const DocNode& list = root.items[static_cast<std::size_t>(
        std::find(root.keys.begin(), root.keys.end(), "scenarios") - root.keys.begin())];
    std::vector<std::string> resolved;
    for (std::size_t i = 0; i < suite.scenario_files.size(); ++i) {
        auto files = resolve_entry(file.parent_path(), suite.scenario_files[i], list.items[i].mark, source,
                                   index_path("scenarios", i));
        resolved.insert(resolved.end(), files.begin(), files.end());
    }
    suite.scenario_files = std::move(resolved);
    return suite;
}

std::vector<Scenario> load_suite_scenarios(const Suite& suite) {
    std::vector<Scenario> out;
    std::set<std::string> ids;
    for (const std::string& file : suite.scenario_files) {
        Scenario s = load_scenario(file);
        if (!ids.insert(s.id).second) {
            throw ScenarioError(file, 0, 0, "id", "scenario id \"" + s.id + "\" is used twice in suite " + suite.name);
        }
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace exosim::scenario
