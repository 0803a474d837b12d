#include "store/journal.hpp"

#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace exosim::store {
namespace {

namespace fs = std::filesystem;

using test::TempDir;  // support/temp_dir.hpp

std::string file_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_text(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << text;
}

TEST(Journal, AppendsOneLinePerRecordAndReplaysThemInOrder) {
    TempDir dir;
    Journal j(dir.path() / "log");
    j.append(R"({"a":1})");
    j.append("");
    j.append("second record");
    EXPECT_EQ(file_text(dir.path() / "log"), "{\"a\":1}\n\nsecond record\n");
    EXPECT_EQ(j.replay(), (std::vector<std::string>{R"({"a":1})", "", "second record"}));
}

TEST(Journal, RefusesARecordHoldingANewline) {
    TempDir dir;
    Journal j(dir.path() / "log");
    EXPECT_THROW(j.append("one\ntwo"), std::invalid_argument);
    EXPECT_THROW(j.append("\n"), std::invalid_argument);
    EXPECT_THROW(j.rewrite({"ok", "bad\n"}), std::invalid_argument);
    EXPECT_EQ(file_text(dir.path() / "log"), "");
}

TEST(Journal, RecordsSurviveReopening) {
    TempDir dir;
    {
        Journal j(dir.path() / "log");
        j.append("r1");
        j.append("r2");
    }
    Journal again(dir.path() / "log");
    EXPECT_EQ(again.replay(), (std::vector<std::string>{"r1", "r2"}));
    again.append("r3");
    EXPECT_EQ(again.replay(), (std::vector<std::string>{"r1", "r2", "r3"}));
}

// A crash in the middle of a write leaves a line without its newline; every split point of the
// last record must be ignored, and the next append must start a line of its own.
TEST(Journal, TornLastRecordIsIgnoredAtEverySplit) {
    const std::string complete = "first\nsecond\n";
    const std::string torn = "third-record";
    for (std::size_t cut = 0; cut <= torn.size(); ++cut) {
        TempDir dir;
        write_text(dir.path() / "log", complete + torn.substr(0, cut));
        Journal j(dir.path() / "log");
        EXPECT_EQ(j.replay(), (std::vector<std::string>{"first", "second"})) << "cut " << cut;
        j.append("fourth");
        EXPECT_EQ(j.replay(), (std::vector<std::string>{"first", "second", "fourth"})) << "cut " << cut;
        EXPECT_EQ(file_text(dir.path() / "log"), complete + "fourth\n") << "cut " << cut;
    }
}

TEST(Journal, AFileWithOnlyATornRecordReplaysNothing) {
    TempDir dir;
    write_text(dir.path() / "log", "half");
    Journal j(dir.path() / "log");
    EXPECT_TRUE(j.replay().empty());
}

TEST(Journal, RewriteReplacesTheContentsAndLaterAppendsFollowIt) {
    TempDir dir;
    Journal j(dir.path() / "log");
    for (int i = 0; i < 5; ++i) j.append("old" + std::to_string(i));
    j.rewrite({"kept1", "kept2"});
    EXPECT_EQ(j.replay(), (std::vector<std::string>{"kept1", "kept2"}));
    j.append("new");
    EXPECT_EQ(file_text(dir.path() / "log"), "kept1\nkept2\nnew\n");
    j.rewrite({});
    EXPECT_EQ(file_text(dir.path() / "log"), "");
    // No temporary file is left next to the journal.
    std::size_t files = 0;
    for (const auto& e : fs::directory_iterator(dir.path())) files += e.is_regular_file();
    EXPECT_EQ(files, 1u);
}

TEST(Journal, OpeningInAMissingDirectoryFailsWithThePath) {
    TempDir dir;
    try {
        Journal j(dir.path() / "missing" / "log");
        FAIL() << "expected an error";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("missing/log"), std::string::npos) << e.what();
    }
}

// Eight threads appending at once: every record lands whole, on its own line, and the threads
// share fdatasync calls (fewer syncs than records) once they overlap.
TEST(Journal, ConcurrentAppendsAreWholeAndShareSyncs) {
    TempDir dir;
    Journal j(dir.path() / "log");
    constexpr int threads = 8, per_thread = 50;
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&j, t] {
            for (int i = 0; i < per_thread; ++i) j.append("t" + std::to_string(t) + "-" + std::to_string(i) + std::string(100, 'x'));
        });
    for (auto& th : pool) th.join();
    auto records = j.replay();
    ASSERT_EQ(records.size(), static_cast<std::size_t>(threads * per_thread));
    std::vector<int> next(threads, 0);
    for (const auto& r : records) {
        int t = std::stoi(r.substr(1));
        auto dash = r.find('-');
        EXPECT_EQ(std::stoi(r.substr(dash + 1)), next[t]++) << "records of one thread stay in order";
        EXPECT_EQ(r.size(), dash + 1 + std::to_string(next[t] - 1).size() + 100);
    }
    EXPECT_LE(j.syncs(), static_cast<std::uint64_t>(threads * per_thread));
    EXPECT_GE(j.syncs(), 1u);
}

}  // namespace
}  // namespace exosim::store
