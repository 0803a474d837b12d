#pragma once
// A neutral document tree that both YAML (yaml-cpp) and JSON (Boost.JSON) documents are converted
// into, so that one decoder validates scenarios from either format with identical rules and messages.
// Internal to exosim::scenario; callers use yaml_io.hpp and json_io.hpp.
#include <string>
#include <vector>

namespace exosim::scenario {

struct DocMark {
    int line = 0;    // 1-based; 0: unknown (JSON)
    int column = 0;  // 1-based
};

struct DocNode {
    enum class Kind { null, scalar, sequence, map };
    // YAML scalars are untyped text ("true", "7" and "x" alike); JSON scalars keep their JSON type,
    // so a JSON document that writes "seed": "7" is rejected where YAML's `seed: "7"` is read as text.
    enum class Type { text, string, boolean, number };

    Kind kind = Kind::null;
    Type type = Type::text;
    std::string scalar;               // scalar value; JSON numbers and booleans as their JSON text
    std::vector<std::string> keys;    // map keys, in document order (duplicates rejected on conversion)
    std::vector<DocMark> key_marks;   // where each key is written
    std::vector<DocNode> items;       // sequence items, or map values parallel to `keys`
    DocMark mark;
};

}  // namespace exosim::scenario
