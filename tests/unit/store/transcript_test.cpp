#include "store/transcript.hpp"

#include <stdlib.h>

#include <fstream>

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include "support/temp_dir.hpp"

namespace exosim::store {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

using test::TempDir;

std::vector<json::object> parse_all(const std::vector<std::string>& lines) {
    std::vector<json::object> out;
    for (const std::string& line : lines) {
        json::error_code ec;
        json::value v = json::parse(line, ec);
        EXPECT_FALSE(ec) << line;
        EXPECT_TRUE(v.is_object()) << line;
        if (!ec && v.is_object()) out.push_back(v.as_object());
    }
    return out;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(Transcript, DiskRecordsAreJsonLines) {
    TempDir dir;
    {
        Transcript t(dir.path(), "08DC000000000001", CaptureMode::disk);
        t.append_out("220 ready\r\n");
        t.append_in("EHLO x\r\nMAIL FROM:<a@b>\r\n");
        t.append_event("tls", "handshake started");
        t.set_tls("TLSv1.3");
        t.append_in("QUIT\r\n");
    }
    auto lines = read_transcript(dir.path(), "08DC000000000001");
    ASSERT_TRUE(lines);
    auto records = parse_all(*lines);
    ASSERT_EQ(records.size(), 5u);
    EXPECT_EQ(records[0].at("type"), "session");
    EXPECT_EQ(records[0].at("detail"), "08DC000000000001");
    EXPECT_EQ(records[0].at("started_at").as_string().size(), 24u);
    EXPECT_EQ(records[1].at("dir"), "out");
    EXPECT_EQ(records[1].at("bytes"), "220 ready\r\n");
    EXPECT_EQ(records[2].at("dir"), "in");
    EXPECT_EQ(records[2].at("read"), 1);
    EXPECT_EQ(records[2].at("bytes"), "EHLO x\r\nMAIL FROM:<a@b>\r\n");
    EXPECT_EQ(records[2].at("tls"), "none");
    EXPECT_EQ(records[3].at("dir"), "event");
    EXPECT_EQ(records[3].at("type"), "tls");
    EXPECT_EQ(records[4].at("read"), 2);
    EXPECT_EQ(records[4].at("tls"), "TLSv1.3");
    for (std::size_t i = 1; i < records.size(); ++i)
        EXPECT_GE(records[i].at("t_ms").to_number<long long>(), records[i - 1].at("t_ms").to_number<long long>());
    EXPECT_EQ(list_sessions(dir.path()), std::vector<std::string>{"08DC000000000001"});
}

TEST(Transcript, RedactionKeepsOnlyTheLength) {
    TempDir dir;
    {
        Transcript t(dir.path(), "s1", CaptureMode::disk);
        t.append_in("AUTH PLAIN AHVzZXIAc2VjcmV0\r\n", true);
        t.append_in("c2VjcmV0\r\n", true);
    }
    std::string text = slurp(dir.path() / "sessions" / "s1.jsonl");
    EXPECT_EQ(text.find("AHVzZXIAc2VjcmV0"), std::string::npos);
    EXPECT_EQ(text.find("c2VjcmV0"), std::string::npos);
    auto records = parse_all(*read_transcript(dir.path(), "s1"));
    ASSERT_EQ(records.size(), 3u);
    EXPECT_EQ(records[1].at("bytes"), "<redacted 29 bytes>");
    EXPECT_EQ(records[1].at("redacted"), true);
    EXPECT_EQ(records[2].at("bytes"), "<redacted 10 bytes>");
}

TEST(Transcript, InvalidUtf8BecomesBase64) {
    Transcript t("/nonexistent", "s2", CaptureMode::memory);
    t.append_in(std::string("\xff\x00\x80", 3));
    t.append_out("caf\xc3\xa9\r\n");  // valid UTF-8 stays text
    t.append_event("finding\xff", "bad \xfe byte");
    auto records = parse_all(t.lines());
    ASSERT_EQ(records.size(), 4u);
    EXPECT_EQ(records[1].at("b64"), "/wCA");
    EXPECT_FALSE(records[1].contains("bytes"));
    EXPECT_EQ(records[2].at("bytes"), "caf\xc3\xa9\r\n");
    EXPECT_EQ(records[3].at("type"), "finding\xef\xbf\xbd");
    EXPECT_EQ(records[3].at("detail"), "bad \xef\xbf\xbd byte");
}

TEST(Transcript, BufferedButFlushedEveryNRecords) {
    TempDir dir;
    Transcript t(dir.path(), "s3", CaptureMode::disk);
    t.append_in("NOOP\r\n");
    EXPECT_TRUE(read_transcript(dir.path(), "s3")->empty());  // header and NOOP still buffered
    for (std::size_t i = 2; i < Transcript::flush_every; ++i) t.append_out("250 ok\r\n");
    EXPECT_EQ(read_transcript(dir.path(), "s3")->size(), Transcript::flush_every);
    t.append_in("QUIT\r\n");
    EXPECT_EQ(read_transcript(dir.path(), "s3")->size(), Transcript::flush_every);
    t.flush();
    EXPECT_EQ(read_transcript(dir.path(), "s3")->size(), Transcript::flush_every + 1);
    t.close();
    t.append_in("ignored after close\r\n");
    t.close();
    EXPECT_EQ(read_transcript(dir.path(), "s3")->size(), Transcript::flush_every + 1);
}

TEST(Transcript, ReaderSkipsIncompleteLastLine) {
    TempDir dir;
    fs::create_directories(dir.path() / "sessions");
    std::ofstream(dir.path() / "sessions" / "s4.jsonl") << "{\"t_ms\":0}\n{\"t_ms\":1}\n{\"t_ms\":";
    auto lines = read_transcript(dir.path(), "s4");
    ASSERT_TRUE(lines);
    EXPECT_EQ(lines->size(), 2u);
    EXPECT_FALSE(read_transcript(dir.path(), "missing"));
    EXPECT_FALSE(read_transcript(dir.path(), "../sessions/s4"));
}

TEST(Transcript, ListSessionsSorted) {
    TempDir dir;
    for (const char* id : {"b", "a", "c"}) Transcript(dir.path(), id, CaptureMode::disk);
    std::ofstream(dir.path() / "sessions" / "notes.txt") << "x";
    EXPECT_EQ(list_sessions(dir.path()), (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_TRUE(list_sessions(dir.path() / "nothing").empty());
}

TEST(Transcript, MemoryAndOffModes) {
    TempDir dir;
    Transcript mem(dir.path(), "m", CaptureMode::memory);
    mem.append_in("EHLO x\r\n");
    EXPECT_EQ(mem.lines().size(), 2u);
    Transcript off(dir.path(), "o", CaptureMode::off);
    off.append_in("EHLO x\r\n");
    EXPECT_TRUE(off.lines().empty());
    EXPECT_FALSE(fs::exists(dir.path() / "sessions"));
}

TEST(Transcript, RejectsUnsafeSessionIds) {
    EXPECT_THROW(Transcript("/tmp", "../x", CaptureMode::memory), std::invalid_argument);
    EXPECT_THROW(Transcript("/tmp", "", CaptureMode::memory), std::invalid_argument);
}

}  // namespace
}  // namespace exosim::store
