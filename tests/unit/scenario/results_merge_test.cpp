#include "scenario/results_merge.hpp"

#include <gtest/gtest.h>

#include "scenario/report_json.hpp"
#include "scenario/shard.hpp"

namespace exosim::scenario {
namespace {

const std::vector<std::string> suite_ids = {"a-first", "b-second", "c-third", "d-fourth", "e-fifth", "f-sixth"};

RunResult run(const std::string& id) {
    RunResult r;
    r.scenario_id = id;
    r.title = "title of " + id;
    r.verdict = Verdict::pass;
    return r;
}

// Shard I of N of suite_ids, as certify --shard I/N would record it.
ShardResult shard(unsigned index, unsigned count, std::string started = "2026-01-01T00:00:00Z", long ms = 100) {
    SuiteResult s{"printers", std::move(started), std::chrono::milliseconds(ms), {}, ShardInfo{index, count, suite_ids}};
    for (const std::string& id : suite_ids)
        if (in_shard(id, {index, count})) s.runs.push_back(run(id));
    return {"shard-" + std::to_string(index), std::move(s)};
}

std::string merge_error(const std::vector<ShardResult>& shards) {
    try {
        merge_shards(shards);
    } catch (const MergeError& e) {
        return e.what();
    }
    return "(merged)";
}

TEST(ResultsMerge, ShardsMergeIntoTheSuiteInSuiteOrder) {
    // Given out of order, started at different times.
    const SuiteResult merged = merge_shards({shard(3, 3, "2026-01-01T00:00:09Z", 50), shard(1, 3, "2026-01-01T00:00:05Z", 300),
                                             shard(2, 3, "2026-01-01T00:00:07Z", 200)});
    std::vector<std::string> ids;
    for (const RunResult& r : merged.runs) ids.push_back(r.scenario_id);
    EXPECT_EQ(ids, suite_ids);
    EXPECT_EQ(merged.name, "printers");
    EXPECT_EQ(merged.started_at, "2026-01-01T00:00:05Z");  // the earliest
    EXPECT_EQ(merged.duration, std::chrono::milliseconds(300));  // the longest shard
    EXPECT_FALSE(merged.shard.has_value());  // a whole run again
    EXPECT_EQ(merged.runs[2].title, "title of c-third");
}

TEST(ResultsMerge, TheSplitReallyHasSeveralNonEmptyShards) {
    // Guards the tests below: with these ids, shards 1..3 of 3 each hold something.
    for (unsigned i = 1; i <= 3; ++i) EXPECT_FALSE(shard(i, 3).result.runs.empty()) << i;
}

TEST(ResultsMerge, OneShardOfOneIsTheSuite) {
    EXPECT_EQ(merge_shards({shard(1, 1)}).runs.size(), suite_ids.size());
}

TEST(ResultsMerge, MissingShard) {
    EXPECT_EQ(merge_error({shard(1, 3), shard(3, 3)}),
              "cannot merge the shards:\n  missing shard 2/3\n  missing scenario(s): " + [] {
                  std::string out;
                  for (const RunResult& r : shard(2, 3).result.runs) out += (out.empty() ? "" : ", ") + r.scenario_id;
                  return out;
              }());
}

TEST(ResultsMerge, ShardGivenTwice) {
    const std::string e = merge_error({shard(1, 3), shard(2, 3), shard(2, 3), shard(3, 3)});
    EXPECT_NE(e.find("shard 2/3 given more than once (shard-2, shard-2)"), std::string::npos) << e;
    EXPECT_NE(e.find("duplicated scenario(s): "), std::string::npos) << e;
}

TEST(ResultsMerge, ScenarioMissingFromAShard) {
    ShardResult s1 = shard(1, 3);
    const std::string lost = s1.result.runs.back().scenario_id;
    s1.result.runs.pop_back();
    EXPECT_EQ(merge_error({s1, shard(2, 3), shard(3, 3)}), "cannot merge the shards:\n  missing scenario(s): " + lost);
}

TEST(ResultsMerge, ScenarioDuplicatedAcrossShards) {
    ShardResult s1 = shard(1, 3);
    const std::string twice = shard(2, 3).result.runs.front().scenario_id;
    s1.result.runs.push_back(run(twice));
    EXPECT_EQ(merge_error({s1, shard(2, 3), shard(3, 3)}), "cannot merge the shards:\n  duplicated scenario(s): " + twice);
}

TEST(ResultsMerge, ScenarioNotInTheSuite) {
    ShardResult s1 = shard(1, 3);
    s1.result.runs.push_back(run("z-stray"));
    EXPECT_EQ(merge_error({s1, shard(2, 3), shard(3, 3)}), "cannot merge the shards:\n  scenario(s) not in the suite: z-stray");
}

TEST(ResultsMerge, DifferentSplitsDoNotMix) {
    ShardResult other = shard(2, 3);
    other.result.shard->suite_ids.push_back("g-seventh");  // a newer suite
    EXPECT_EQ(merge_error({shard(1, 3), other, shard(3, 3)}),
              "cannot merge the shards:\n  shard-2: split from a different run (suite 'printers', 3 shards of 7 scenarios; "
              "the first shard: suite 'printers', 3 shards of 6 scenarios)");
    EXPECT_NE(merge_error({shard(1, 2), shard(2, 3)}).find("split from a different run"), std::string::npos);
    ShardResult renamed = shard(2, 2);
    renamed.result.name = "other";
    EXPECT_NE(merge_error({shard(1, 2), renamed}).find("suite 'other'"), std::string::npos);
}

TEST(ResultsMerge, AWholeRunIsNotAShard) {
    ShardResult whole = shard(1, 1);
    whole.result.shard.reset();
    whole.origin = "full-run";
    EXPECT_EQ(merge_error({whole}), "cannot merge the shards:\n  full-run: not a shard (its results.json has no \"shard\" record: "
                                    "run certify with --shard I/N)");
    EXPECT_EQ(merge_error({}), "cannot merge the shards: no results to merge");
}

TEST(ResultsMerge, ShardRecordRoundTripsThroughResultsJson) {
    const SuiteResult s = shard(2, 3).result;
    const std::string text = results_json(s);
    EXPECT_NE(text.find("\"shard\":{\"index\":2,\"count\":3,\"suite_ids\":[\"a-first\",\"b-second\",\"c-third\","
                        "\"d-fourth\",\"e-fifth\",\"f-sixth\"]}"),
              std::string::npos)
        << text;
    const SuiteResult back = parse_results_json(text);
    ASSERT_TRUE(back.shard.has_value());
    EXPECT_EQ(back.shard->index, 2u);
    EXPECT_EQ(back.shard->suite_ids, suite_ids);
    EXPECT_EQ(results_json(back), text);
    // A whole run writes no shard record.
    EXPECT_EQ(results_json(merge_shards({shard(1, 1)})).find("\"shard\""), std::string::npos);
    EXPECT_THROW(parse_results_json(text.substr(0, text.find("\"index\":2")) + "\"index\":4" + text.substr(text.find("\"index\":2") + 9)),
                 std::invalid_argument);  // shard 4 of 3
}

}  // namespace
}  // namespace exosim::scenario
