#include "scenario/shard.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "scenario/yaml_io.hpp"

namespace exosim::scenario {
namespace {

TEST(Shard, ParsesIOverN) {
    struct Case {
        const char* text;
        std::optional<Shard> expected;
    };
    const Case cases[] = {
        {"1/1", Shard{1, 1}},
        {"2/4", Shard{2, 4}},
        {"4/4", Shard{4, 4}},
        {"0/4", std::nullopt},   // I counts from 1
        {"5/4", std::nullopt},   // I > N
        {"1/0", std::nullopt},
        {"1/999", Shard{1, 999}},  // max_shards - 1
        {"1/1000", Shard{1, 1000}},  // max_shards
        {"1/1001", std::nullopt},  // max_shards + 1
        {"1000/1000", Shard{1000, 1000}},
        {"1/99999999999", std::nullopt},
        {"", std::nullopt},
        {"2", std::nullopt},
        {"/4", std::nullopt},
        {"2/", std::nullopt},
        {"+2/4", std::nullopt},
        {"-1/4", std::nullopt},
        {" 2/4", std::nullopt},
        {"2/4 ", std::nullopt},
        {"2/4/8", std::nullopt},
        {"a/b", std::nullopt},
        {"02/04", Shard{2, 4}},
    };
    for (const Case& c : cases) {
        std::string why;
        EXPECT_EQ(parse_shard(c.text, &why), c.expected) << c.text;
        EXPECT_EQ(why.empty(), c.expected.has_value()) << c.text << ": " << why;
    }
    static_assert(max_shards == 1000);
}

TEST(Shard, ErrorsSayWhatIsWrong) {
    std::string why;
    parse_shard("5/4", &why);
    EXPECT_EQ(why, "I must be 1 to N (4), not 5");
    parse_shard("1/1001", &why);
    EXPECT_EQ(why, "N must be 1 to 1000, not 1001");
    parse_shard("x", &why);
    EXPECT_EQ(why, "'x' is not I/N (e.g. 2/4)");
    EXPECT_EQ(shard_text({3, 7}), "3/7");
}

// Frozen: every runner of one CI pipeline must compute the same split. A change here moves
// scenarios between shards; make it deliberately, never by accident.
TEST(Shard, HashIsFrozen) {
    EXPECT_EQ(scenario_id_hash(""), 0xf52a15e9a9b5e89bull);
    EXPECT_EQ(scenario_id_hash("basic-delivery"), 0x26bc65b01435d8fdull);
    EXPECT_EQ(scenario_id_hash("cc12-ehlo-one-byte-per-write"), 0x7a42661cee36f9c4ull);
    EXPECT_EQ(shard_of("basic-delivery", 4), 2u);
    EXPECT_EQ(shard_of("cc12-ehlo-one-byte-per-write", 4), 1u);
}

TEST(Shard, OneCountIsTheWholeSuite) {
    for (const char* id : {"", "a", "basic-delivery", "cc29-lookalike-starttls"}) EXPECT_EQ(shard_of(id, 1), 1u);
}

// The split of one id does not depend on any other id (nothing else is an input), so it only
// needs checking that the shards partition a real suite, and roughly evenly.
std::vector<std::string> library_ids() {
    std::vector<std::string> ids;
    for (const auto& e : std::filesystem::directory_iterator(EXOSIM_SCENARIOS_DIR))
        if (e.path().extension() == ".yaml") ids.push_back(load_scenario(e.path()).id);
    return ids;
}

TEST(Shard, ShardsPartitionTheLibraryRoughlyEvenly) {
    const std::vector<std::string> ids = library_ids();
    ASSERT_GT(ids.size(), 100u);
    for (unsigned count : {2u, 3u, 4u, 8u}) {
        std::map<unsigned, std::size_t> sizes;
        std::set<std::string> seen;
        for (const std::string& id : ids) {
            unsigned n = 0;
            for (unsigned i = 1; i <= count; ++i) n += in_shard(id, {i, count}) ? 1 : 0;
            EXPECT_EQ(n, 1u) << id << " in " << n << " of " << count << " shards";
            ++sizes[shard_of(id, count)];
        }
        // A hash spreads ids like independent draws: each shard's size is binomial. Four standard
        // deviations either way holds for any decent hash; a broken one (all in a few shards) fails.
        const double p = 1.0 / count, n = static_cast<double>(ids.size());
        const double fair = n * p, slack = 4 * std::sqrt(n * p * (1 - p));
        for (unsigned i = 1; i <= count; ++i)
            EXPECT_NEAR(static_cast<double>(sizes[i]), fair, slack) << "shard " << i << "/" << count;
    }
}

}  // namespace
}  // namespace exosim::scenario
