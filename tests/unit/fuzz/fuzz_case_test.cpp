// Case identity, determinism, catalogue coverage and the model hash (issue 12 "Determinism").
#include <gtest/gtest.h>

#include <set>

#include "fuzz/anomaly.hpp"
#include "fuzz/case_scenario.hpp"
#include "fuzz/case_text.hpp"
#include "fuzz/fuzz_case.hpp"

namespace exosim::fuzz {
namespace {

std::string case_bytes(const FuzzCase& c) {
    std::string out;
    for (const scenario::Rule& r : case_rules(c)) out += action_signature(r.action) + "\n";
    return out;
}

TEST(CaseId, FormatsAndParses) {
    const CaseId c{"0.1.0", 0x1f2e3d4c5b6a7980ULL, 42, Mode::catalogue, 1, 0, 17};
    EXPECT_EQ(format_case_id(c), "0.1.0:1f2e3d4c5b6a7980:42:c:17");
    const CaseId r{"0.1.0", 0xffULL, 7, Mode::random, 3, 0x0a1b2c3d, 9};
    EXPECT_EQ(format_case_id(r), "0.1.0:00000000000000ff:7:r3/0a1b2c3d:9");
    for (const CaseId& id : {c, r}) {
        std::string error;
        auto back = parse_case_id(format_case_id(id), error);
        ASSERT_TRUE(back) << error;
        EXPECT_EQ(*back, id);
    }
}

TEST(CaseId, RefusesMalformedIds) {
    const std::pair<const char*, const char*> bad[] = {
        {"", "5 parts"},
        {"0.1.0:1f2e3d4c5b6a7980:42:c", "5 parts"},
        {"0.1.0:1f2e3d4c5b6a7980:42:c:17:1", "5 parts"},
        {":1f2e3d4c5b6a7980:42:c:17", "no version"},
        {"0.1.0:1f2e3d4c5b6a798:42:c:17", "16 hex"},
        {"0.1.0:1f2e3d4c5b6a798g:42:c:17", "16 hex"},
        {"0.1.0:1f2e3d4c5b6a7980:-1:c:17", "seed"},
        {"0.1.0:1f2e3d4c5b6a7980:42:x:17", "mode"},
        {"0.1.0:1f2e3d4c5b6a7980:42:r0:17", "mode"},
        {"0.1.0:1f2e3d4c5b6a7980:42:r65:17", "mode"},
        {"0.1.0:1f2e3d4c5b6a7980:42:r2/123:17", "mode"},
        {"0.1.0:1f2e3d4c5b6a7980:42:r2/00000000:17", "mode"},
        {"0.1.0:1f2e3d4c5b6a7980:42:c:17x", "index"},
        {"0.1.0:1f2e3d4c5b6a7980:42:c:99999999999999999999999", "index"},
    };
    for (const auto& [text, why] : bad) {
        std::string error;
        EXPECT_FALSE(parse_case_id(text, error)) << text;
        EXPECT_NE(error.find(why), std::string::npos) << text << ": " << error;
    }
}

TEST(FuzzCase, SameSeedAndIndexGiveIdenticalBytes) {
    const auto& pairs = catalogue_table();
    for (std::uint64_t index : {0u, 1u, 77u, 1000u}) {
        const FuzzCase a = random_case(42, index, 3, pairs);
        const FuzzCase b = random_case(42, index, 3, pairs);
        EXPECT_EQ(a.anomalies, b.anomalies);
        EXPECT_EQ(case_bytes(a), case_bytes(b));
        EXPECT_EQ(a.anomalies.size(), 3u);
    }
    // A different seed or index draws differently (somewhere in a small range, not necessarily each).
    int differ = 0;
    for (std::uint64_t i = 0; i < 20; ++i) differ += random_case(42, i, 2, pairs).anomalies != random_case(43, i, 2, pairs).anomalies;
    EXPECT_GT(differ, 15);
    EXPECT_EQ(case_bytes(*catalogue_case(5, 123)), case_bytes(*catalogue_case(5, 123)));
}

// A pinned draw: a change to the RNG use shows here rather than as silently different cases.
TEST(FuzzCase, RandomDrawIsPinned) {
    const FuzzCase c = random_case(1, 0, 2, catalogue_table());
    ASSERT_EQ(c.anomalies.size(), 2u);
    EXPECT_LT(c.anomalies[0].stage, c.anomalies[1].stage);  // distinct stages, in stage order
    const FuzzCase again = random_case(1, 0, 2, catalogue_table());
    EXPECT_EQ(format_case_id(c.id), format_case_id(again.id));
}

TEST(FuzzCase, RandomCasesUseDistinctStagesAndRespectTheSelection) {
    const auto only_mail = selection({Stage::mail, Stage::rcpt}, {*anomaly_index("len-4096"), *anomaly_index("code-550")});
    ASSERT_EQ(only_mail.size(), 4u);
    for (std::uint64_t i = 0; i < 50; ++i) {
        const FuzzCase c = random_case(9, i, 5, only_mail);
        ASSERT_EQ(c.anomalies.size(), 2u);  // two stages only
        EXPECT_EQ(c.anomalies[0].stage, Stage::mail);
        EXPECT_EQ(c.anomalies[1].stage, Stage::rcpt);
        EXPECT_NE(c.id.filter, 0u);
    }
    EXPECT_EQ(selection_digest(catalogue_table()), 0u);
    EXPECT_EQ(selection({}, {}), catalogue_table());
}

// The stage x class table: each class at exactly the stages it applies to, each pair once.
TEST(FuzzCase, CatalogueCoversEveryClassAtEveryApplicableStage) {
    std::set<std::pair<Stage, std::size_t>> seen;
    for (const Anomaly& a : catalogue_table()) EXPECT_TRUE(seen.insert({a.stage, a.cls}).second);
    const auto classes = anomaly_classes();
    std::size_t expected = 0;
    for (std::size_t c = 0; c < classes.size(); ++c) {
        std::size_t stages = 0;
        for (Stage s : all_stages()) {
            if (!classes[c].applies(s)) continue;
            ++expected, ++stages;
            EXPECT_TRUE(seen.count({s, c})) << classes[c].name << " at " << stage_name(s);
        }
        EXPECT_GT(stages, 0u) << classes[c].name << " applies nowhere";
    }
    EXPECT_EQ(catalogue_table().size(), expected);
    // Generic classes reach every stage; protocol classes only theirs.
    const auto count = [&](std::string_view name) {
        return std::count_if(seen.begin(), seen.end(), [&](const auto& p) { return p.second == *anomaly_index(name); });
    };
    EXPECT_EQ(count("code-550"), static_cast<long>(all_stages().size()));
    EXPECT_EQ(count("conn-fin"), static_cast<long>(all_stages().size()));
    EXPECT_EQ(count("ehlo-size-2p64"), 2);
    EXPECT_EQ(count("auth-b64-huge"), 1);
    EXPECT_EQ(count("starttls-454"), 1);
    EXPECT_EQ(count("ehlo-starttls-stripped"), 1);
}

TEST(FuzzCase, CaseForChecksVersionModelAndSelection) {
    std::string error;
    const auto c = catalogue_case(3, 10);
    ASSERT_TRUE(c);
    auto back = case_for(c->id, catalogue_table(), error);
    ASSERT_TRUE(back) << error;
    EXPECT_EQ(back->anomalies, c->anomalies);
    CaseId other = c->id;
    other.model_hash ^= 1;
    EXPECT_FALSE(case_for(other, catalogue_table(), error));
    EXPECT_NE(error.find("another fuzz model"), std::string::npos);
    other = c->id;
    other.index = catalogue_table().size();
    error.clear();
    EXPECT_FALSE(case_for(other, catalogue_table(), error));
    EXPECT_NE(error.find("past the catalogue"), std::string::npos);
    const auto sel = selection({Stage::mail}, {});
    const FuzzCase r = random_case(1, 2, 1, sel);
    error.clear();
    EXPECT_FALSE(case_for(r.id, catalogue_table(), error));
    EXPECT_NE(error.find("selection"), std::string::npos);
    error.clear();
    ASSERT_TRUE(case_for(r.id, sel, error)) << error;
}

TEST(ModelHash, ChangesWhenTheCatalogueChanges) {
    const auto classes = anomaly_classes();
    std::vector<AnomalyClass> copy(classes.begin(), classes.end());
    EXPECT_EQ(model_hash_of(copy), model_hash());
    copy[5].make = [](Stage) { return scenario::Action{}; };  // a generator's bytes change
    EXPECT_NE(model_hash_of(copy), model_hash());
    std::vector<AnomalyClass> renamed(classes.begin(), classes.end());
    renamed[0].name += "x";
    EXPECT_NE(model_hash_of(renamed), model_hash());
    std::vector<AnomalyClass> fewer(classes.begin(), classes.end() - 1);
    EXPECT_NE(model_hash_of(fewer), model_hash());
}

TEST(ClassNames, AreUniqueAndDocumented) {
    std::set<std::string> names;
    for (const AnomalyClass& c : anomaly_classes()) {
        EXPECT_TRUE(names.insert(c.name).second) << c.name;
        EXPECT_FALSE(c.doc.empty()) << c.name;
        EXPECT_FALSE(c.group.empty()) << c.name;
    }
}

}  // namespace
}  // namespace exosim::fuzz
