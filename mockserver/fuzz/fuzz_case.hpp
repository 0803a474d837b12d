#pragma once
// A fuzz case and its identity (issue 12 "Determinism"): (exosim version, model hash, seed, mode,
// index). Catalogue mode enumerates every (anomaly class x applicable stage) pair; random mode
// stacks `depth` anomalies on distinct stages, drawn from std::mt19937_64 seeded from (seed,
// index). The same id always gives the same case, hence the same bytes.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/stage.hpp"

namespace exosim::fuzz {

struct AnomalyClass;

enum class Mode { catalogue, random };

struct Anomaly {
    Stage stage;
    std::size_t cls;  // index into anomaly_classes()
    bool operator==(const Anomaly&) const = default;
};

struct CaseId {
    std::string version;
    std::uint64_t model_hash = 0;
    std::uint64_t seed = 0;
    Mode mode = Mode::catalogue;
    unsigned depth = 1;            // random mode
    std::uint32_t filter = 0;      // random mode: digest of the --stages/--anomalies selection; 0: none
    std::uint64_t index = 0;
    bool operator==(const CaseId&) const = default;
};

// "0.1.0:1f2e3d4c5b6a7980:42:c:17", "0.1.0:1f2e...:42:r2:17" or with a filter "...:r2/0a1b2c3d:17".
std::string format_case_id(const CaseId& id);
// Nullopt (and `error` set) for anything else.
std::optional<CaseId> parse_case_id(std::string_view text, std::string& error);

struct FuzzCase {
    CaseId id;
    std::vector<Anomaly> anomalies;  // at most one per stage, in stage order
};

// The pairs a run may draw from: every applicable (stage, class), in catalogue order, restricted
// to `stages` and `classes` when they are not empty.
std::vector<Anomaly> selection(const std::vector<Stage>& stages, const std::vector<std::size_t>& classes);
// The full catalogue table, unfiltered: a catalogue case's index points into it.
const std::vector<Anomaly>& catalogue_table();
// Digest of a selection (0 for the full table): random ids carry it so a replay checks it.
std::uint32_t selection_digest(const std::vector<Anomaly>& pairs);

// Hash of the model: every class name and the exact action it makes at every stage it applies to.
// Any change to the catalogue or a generator changes it (and so every case id).
std::uint64_t model_hash();
// The same for any list of classes (tests: a changed catalogue changes the hash).
std::uint64_t model_hash_of(std::span<const AnomalyClass> classes);
std::vector<Anomaly> table_of(std::span<const AnomalyClass> classes);
std::uint64_t fnv1a(std::string_view bytes, std::uint64_t h = 0xcbf29ce484222325ULL);
std::string version();

// Catalogue case `index` (into catalogue_table()); nullopt past its end.
std::optional<FuzzCase> catalogue_case(std::uint64_t seed, std::uint64_t index);
// Random case: `depth` anomalies (fewer when the pairs span fewer stages) from `pairs`.
FuzzCase random_case(std::uint64_t seed, std::uint64_t index, unsigned depth, const std::vector<Anomaly>& pairs);
// The case an id names, given the selection a random id was drawn from. Nullopt with `error`
// when the id belongs to another version or model, or another selection.
std::optional<FuzzCase> case_for(const CaseId& id, const std::vector<Anomaly>& pairs, std::string& error);

}  // namespace exosim::fuzz
