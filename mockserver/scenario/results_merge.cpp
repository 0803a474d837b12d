#include "scenario/results_merge.hpp"

#include <algorithm>
#include <deque>
#include <map>

namespace exosim::scenario {

namespace {

// Long lists (a whole missing shard) stay readable: the first few, then how many more.
std::string listing(const std::vector<std::string>& items) {
    constexpr std::size_t shown = 10;
    std::string out;
    for (std::size_t i = 0; i < items.size() && i < shown; ++i) out += (i ? ", " : "") + items[i];
    if (items.size() > shown) out += " and " + std::to_string(items.size() - shown) + " more";
    return out;
}

std::string split_text(const SuiteResult& r) {
    return "suite '" + r.name + "', " + std::to_string(r.shard->count) + " shards of " +
           std::to_string(r.shard->suite_ids.size()) + " scenarios";
}

// All shards must come from one split of one selection; the first is the reference.
std::vector<std::string> split_problems(const std::vector<ShardResult>& shards) {
    std::vector<std::string> problems;
    const SuiteResult* first = nullptr;
    for (const ShardResult& s : shards) {
        if (!s.result.shard) {
            problems.push_back(s.origin + ": not a shard (its results.json has no \"shard\" record: run certify with --shard I/N)");
            continue;
        }
        if (!first) {
            first = &s.result;
            continue;
        }
        const ShardInfo& a = *first->shard;
        const ShardInfo& b = *s.result.shard;
        if (s.result.name != first->name || a.count != b.count || a.suite_ids != b.suite_ids)
            problems.push_back(s.origin + ": split from a different run (" + split_text(s.result) + "; the first shard: " +
                               split_text(*first) + ")");
    }
    return problems;
}

std::vector<std::string> index_problems(const std::vector<ShardResult>& shards) {
    const unsigned count = shards.front().result.shard->count;
    std::map<unsigned, std::vector<std::string>> origins;
    for (const ShardResult& s : shards) origins[s.result.shard->index].push_back(s.origin);
    std::vector<std::string> problems, missing;
    for (unsigned i = 1; i <= count; ++i) {
        auto it = origins.find(i);
        if (it == origins.end()) missing.push_back(std::to_string(i) + "/" + std::to_string(count));
        else if (it->second.size() > 1)
            problems.push_back("shard " + std::to_string(i) + "/" + std::to_string(count) + " given more than once (" +
                               listing(it->second) + ")");
    }
    if (!missing.empty()) problems.push_back("missing shard" + std::string(missing.size() > 1 ? "s " : " ") + listing(missing));
    return problems;
}

// Scenario by scenario: each id of the suite exactly as often as the suite lists it.
std::vector<std::string> scenario_problems(const std::vector<ShardResult>& shards) {
    std::map<std::string, long> balance;  // expected minus found
    for (const std::string& id : shards.front().result.shard->suite_ids) ++balance[id];
    for (const ShardResult& s : shards)
        for (const RunResult& r : s.result.runs) --balance[r.scenario_id];
    std::vector<std::string> missing, duplicated, foreign;
    const auto& ids = shards.front().result.shard->suite_ids;
    for (const auto& [id, left] : balance) {
        if (left > 0) missing.push_back(id);
        else if (left < 0 && std::find(ids.begin(), ids.end(), id) == ids.end()) foreign.push_back(id);
        else if (left < 0) duplicated.push_back(id);
    }
    std::vector<std::string> problems;
    if (!missing.empty()) problems.push_back("missing scenario(s): " + listing(missing));
    if (!duplicated.empty()) problems.push_back("duplicated scenario(s): " + listing(duplicated));
    if (!foreign.empty()) problems.push_back("scenario(s) not in the suite: " + listing(foreign));
    return problems;
}

[[noreturn]] void fail(const std::vector<std::string>& problems) {
    std::string text = "cannot merge the shards:";
    for (const std::string& p : problems) text += "\n  " + p;
    throw MergeError(text);
}

}  // namespace

SuiteResult merge_shards(const std::vector<ShardResult>& shards) {
    if (shards.empty()) throw MergeError("cannot merge the shards: no results to merge");
    if (auto p = split_problems(shards); !p.empty()) fail(p);
    std::vector<std::string> problems = index_problems(shards);
    for (std::string& p : scenario_problems(shards)) problems.push_back(std::move(p));
    if (!problems.empty()) fail(problems);

    std::vector<const ShardResult*> ordered;
    for (const ShardResult& s : shards) ordered.push_back(&s);
    std::sort(ordered.begin(), ordered.end(),
              [](const ShardResult* a, const ShardResult* b) { return a->result.shard->index < b->result.shard->index; });
    std::map<std::string, std::deque<const RunResult*>> by_id;
    SuiteResult merged{ordered.front()->result.name, ordered.front()->result.started_at, {}, {}, std::nullopt};
    for (const ShardResult* s : ordered) {
        for (const RunResult& r : s->result.runs) by_id[r.scenario_id].push_back(&r);
        merged.started_at = std::min(merged.started_at, s->result.started_at);  // ISO 8601 UTC sorts as text
        merged.duration = std::max(merged.duration, s->result.duration);
    }
    for (const std::string& id : ordered.front()->result.shard->suite_ids) {
        merged.runs.push_back(*by_id[id].front());
        by_id[id].pop_front();
    }
    return merged;
}

}  // namespace exosim::scenario
