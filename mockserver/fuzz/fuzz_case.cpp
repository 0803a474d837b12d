// Case identity, catalogue table, seeded random cases and the model hash.
#include "fuzz/fuzz_case.hpp"

#include <algorithm>
#include <charconv>
#include <random>

#include "fuzz/anomaly.hpp"
#include "fuzz/case_text.hpp"

namespace exosim::fuzz {

namespace {

std::optional<std::uint64_t> number(std::string_view s, int base = 10) {
    std::uint64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
    if (s.empty() || ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return v;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> parts;
    for (std::size_t from = 0;;) {
        const std::size_t at = s.find(sep, from);
        parts.push_back(s.substr(from, at == std::string_view::npos ? std::string_view::npos : at - from));
        if (at == std::string_view::npos) return parts;
        from = at + 1;
    }
}

std::string hex(std::uint64_t v, int digits) {
    std::string out(static_cast<std::size_t>(digits), '0');
    for (int i = digits - 1; i >= 0; --i, v >>= 4) out[static_cast<std::size_t>(i)] = "0123456789abcdef"[v & 15];
    return out;
}

// "c", "r2", "r2/0a1b2c3d" into the id.
bool parse_mode(std::string_view m, CaseId& id) {
    if (m == "c") return true;
    if (!m.starts_with('r')) return false;
    id.mode = Mode::random;
    const auto parts = split(m.substr(1), '/');
    const auto depth = number(parts[0]);
    if (!depth || *depth == 0 || *depth > 64 || parts.size() > 2) return false;
    id.depth = static_cast<unsigned>(*depth);
    if (parts.size() == 2) {
        const auto f = number(parts[1], 16);
        if (!f || parts[1].size() != 8 || *f == 0) return false;
        id.filter = static_cast<std::uint32_t>(*f);
    }
    return true;
}

}  // namespace

std::string version() { return EXOSIM_VERSION; }

std::uint64_t fnv1a(std::string_view bytes, std::uint64_t h) {
    for (unsigned char c : bytes) h = (h ^ c) * 0x100000001b3ULL;
    return h;
}

std::string format_case_id(const CaseId& id) {
    std::string mode = id.mode == Mode::catalogue ? "c" : "r" + std::to_string(id.depth);
    if (id.mode == Mode::random && id.filter != 0) mode += "/" + hex(id.filter, 8);
    return id.version + ":" + hex(id.model_hash, 16) + ":" + std::to_string(id.seed) + ":" + mode + ":" + std::to_string(id.index);
}

std::optional<CaseId> parse_case_id(std::string_view text, std::string& error) {
    const auto parts = split(text, ':');
    CaseId id;
    if (parts.size() != 5) {
        error = "a case id has 5 parts VERSION:MODEL-HASH:SEED:MODE:INDEX (e.g. 0.1.0:1f2e3d4c5b6a7980:42:c:17)";
        return std::nullopt;
    }
    id.version = std::string(parts[0]);
    const auto hash = parts[1].size() == 16 ? number(parts[1], 16) : std::nullopt;
    const auto seed = number(parts[2]);
    const auto index = number(parts[4]);
    if (id.version.empty()) error = "the case id has no version";
    else if (!hash) error = "the model hash must be 16 hex digits";
    else if (!seed) error = "the seed must be a whole number";
    else if (!parse_mode(parts[3], id)) error = "the mode must be c, rDEPTH or rDEPTH/FILTER (8 hex digits)";
    else if (!index) error = "the index must be a whole number";
    if (!error.empty()) return std::nullopt;
    id.model_hash = *hash;
    id.seed = *seed;
    id.index = *index;
    return id;
}

std::vector<Anomaly> selection(const std::vector<Stage>& stages, const std::vector<std::size_t>& classes) {
    std::vector<Anomaly> out;
    for (const Anomaly& a : catalogue_table()) {
        const bool stage_ok = stages.empty() || std::find(stages.begin(), stages.end(), a.stage) != stages.end();
        const bool class_ok = classes.empty() || std::find(classes.begin(), classes.end(), a.cls) != classes.end();
        if (stage_ok && class_ok) out.push_back(a);
    }
    return out;
}

// Class-major: every stage of a class, then the next class (a report reads class by class).
std::vector<Anomaly> table_of(std::span<const AnomalyClass> classes) {
    std::vector<Anomaly> t;
    for (std::size_t c = 0; c < classes.size(); ++c) {
        for (Stage s : all_stages()) {
            if (classes[c].applies(s)) t.push_back({s, c});
        }
    }
    return t;
}

const std::vector<Anomaly>& catalogue_table() {
    static const std::vector<Anomaly> table = table_of(anomaly_classes());
    return table;
}

std::uint32_t selection_digest(const std::vector<Anomaly>& pairs) {
    if (pairs == catalogue_table()) return 0;
    std::uint64_t h = fnv1a("selection");
    for (const Anomaly& a : pairs) h = fnv1a(std::string(stage_name(a.stage)) + "/" + anomaly_classes()[a.cls].name + ";", h);
    const auto d = static_cast<std::uint32_t>(h ^ (h >> 32));
    return d == 0 ? 1 : d;
}

std::uint64_t model_hash_of(std::span<const AnomalyClass> classes) {
    std::uint64_t h = fnv1a("exosim fuzz-client model 1");
    for (const Anomaly& a : table_of(classes)) {
        h = fnv1a(classes[a.cls].name, h);
        h = fnv1a(stage_name(a.stage), h);
        h = fnv1a(action_signature(classes[a.cls].make(a.stage)), h);
    }
    return h;
}

std::uint64_t model_hash() {
    static const std::uint64_t hash = model_hash_of(anomaly_classes());
    return hash;
}

std::optional<FuzzCase> catalogue_case(std::uint64_t seed, std::uint64_t index) {
    const auto& table = catalogue_table();
    if (index >= table.size()) return std::nullopt;
    return FuzzCase{{version(), model_hash(), seed, Mode::catalogue, 1, 0, index}, {table[index]}};
}

FuzzCase random_case(std::uint64_t seed, std::uint64_t index, unsigned depth, const std::vector<Anomaly>& pairs) {
    // seed_seq's mixing and mt19937_64 are fully specified by the standard; the modulo below
    // (not uniform_int_distribution, which is not) keeps the draw identical on every library.
    std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                      static_cast<std::uint32_t>(index), static_cast<std::uint32_t>(index >> 32)};
    std::mt19937_64 rng(seq);
    FuzzCase c{{version(), model_hash(), seed, Mode::random, depth, selection_digest(pairs), index}, {}};
    std::vector<Anomaly> left = pairs;
    while (c.anomalies.size() < depth && !left.empty()) {
        const Anomaly pick = left[rng() % left.size()];
        c.anomalies.push_back(pick);
        std::erase_if(left, [&](const Anomaly& a) { return a.stage == pick.stage; });
    }
    std::sort(c.anomalies.begin(), c.anomalies.end(), [](const Anomaly& a, const Anomaly& b) { return a.stage < b.stage; });
    return c;
}

std::optional<FuzzCase> case_for(const CaseId& id, const std::vector<Anomaly>& pairs, std::string& error) {
    if (id.version != version()) error = "the case was made by exosim " + id.version + ", this is " + version();
    else if (id.model_hash != model_hash()) error = "the case was made by another fuzz model (hash " + hex(id.model_hash, 16) + ", this one " + hex(model_hash(), 16) + ")";
    else if (id.mode == Mode::random && id.filter != selection_digest(pairs))
        error = "the case was drawn from another --stages/--anomalies selection: pass the options of the run that made it";
    if (!error.empty()) return std::nullopt;
    if (id.mode == Mode::random) return random_case(id.seed, id.index, id.depth, pairs);
    auto c = catalogue_case(id.seed, id.index);
    if (!c) error = "catalogue index " + std::to_string(id.index) + " is past the catalogue's " + std::to_string(catalogue_table().size()) + " cases";
    return c;
}

}  // namespace exosim::fuzz
