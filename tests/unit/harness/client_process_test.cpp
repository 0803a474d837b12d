// Client commands: exit codes, output tails, the timeout that kills the whole process group.
#include "harness/client_process.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "harness/attachment.hpp"
#include "scenario/yaml_io.hpp"
#include "support/temp_dir.hpp"

namespace exosim::harness {
namespace {

using namespace std::chrono_literals;

TEST(ClientProcess, ExitCodeAndBothStreams) {
    ProcessResult r = run_command("echo out; echo err >&2; exit 3");
    ASSERT_EQ(r.exit_code, 3);
    EXPECT_EQ(r.stdout_tail, "out\n");
    EXPECT_EQ(r.stderr_tail, "err\n");
    EXPECT_FALSE(r.timed_out);
    EXPECT_TRUE(r.error.empty());
}

TEST(ClientProcess, MissingCommandIs127) {
    ProcessResult r = run_command("/nonexistent/client --x");
    EXPECT_EQ(r.exit_code, 127);
    EXPECT_FALSE(r.stderr_tail.empty());
}

TEST(ClientProcess, StdinIsEmptySoNothingWaitsOnTheTerminal) {
    ProcessResult r = run_command("cat; echo done");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.stdout_tail, "done\n");
}

TEST(ClientProcess, TimeoutKillsTheGroupIncludingBackgroundChildren) {
    ProcessOptions o;
    o.timeout = 300ms;
    o.kill_grace = 200ms;
    auto started = std::chrono::steady_clock::now();
    ProcessResult r = run_command("sleep 30 & trap '' TERM; sleep 30", o);
    auto took = std::chrono::steady_clock::now() - started;
    EXPECT_TRUE(r.timed_out);
    EXPECT_FALSE(r.exit_code.has_value());
    EXPECT_TRUE(r.signal.has_value());
    EXPECT_LT(took, 5s);
}

TEST(ClientProcess, OnlyTheTailIsKept) {
    ProcessOptions o;
    o.tail_bytes = 10;
    ProcessResult r = run_command("printf '0123456789abcdefghij'", o);
    EXPECT_EQ(r.stdout_tail, "abcdefghij");
}

TEST(Attachment, GeneratedPdfAndRelativePaths) {
    namespace fs = std::filesystem;
    const test::TempDir tmp("exosim-attach");
    const fs::path& dir = tmp.path();
    auto s = scenario::parse_scenario_yaml("send: {attachment: \"generated:pdf\"}", (dir / "s.yaml").string(), "s");
    fs::path pdf = prepare_attachment(s, dir / "work");
    std::ifstream in(pdf, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(bytes.substr(0, 8), "%PDF-1.4");
    EXPECT_NE(bytes.find("%%EOF"), std::string::npos);
    auto expected = expected_attachment(s);  // what attachment-intact compares with
    ASSERT_TRUE(expected);
    EXPECT_EQ(expected->bytes, bytes);
    EXPECT_EQ(expected->filename, "exosim-scan.pdf");

    std::ofstream(dir / "scan.txt") << "scan";
    s.send.attachment = "scan.txt";  // relative to the scenario file
    EXPECT_EQ(prepare_attachment(s, dir / "work"), fs::absolute(dir / "scan.txt"));
    EXPECT_EQ(expected_attachment(s)->bytes, "scan");
    EXPECT_EQ(expected_attachment(s)->filename, "scan.txt");
    s.send.attachment = "missing.txt";
    EXPECT_THROW(prepare_attachment(s, dir / "work"), std::runtime_error);
    s.send.attachment = "generated:docx";
    EXPECT_THROW(prepare_attachment(s, dir / "work"), std::runtime_error);
}

}  // namespace
}  // namespace exosim::harness
