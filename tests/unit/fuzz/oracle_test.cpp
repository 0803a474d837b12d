// Oracles: sanitizer report parsing (table), signals through a shell, the judging order, signatures;
// and ddmin / script minimisation against a synthetic predicate.
#include <gtest/gtest.h>

#include <csignal>

#include "fuzz/anomaly.hpp"
#include "fuzz/minimise.hpp"
#include "fuzz/oracle.hpp"

namespace exosim::fuzz {
namespace {

TEST(Sanitizer, KindAndFramesTable) {
    struct Row {
        const char* text;
        std::optional<std::string> kind;
        std::vector<std::string> frames;
    };
    const Row rows[] = {
        {"", std::nullopt, {}},
        {"exosim-client: timeout\n", std::nullopt, {}},
        {"=================================================================\n"
         "==4242==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602 at pc 0x55 bp 0x7f sp 0x7f\n"
         "READ of size 1 at 0x602 thread T0\n"
         "    #0 0x4a1b in __interceptor_strlen (/x/client+0x4a1b)\n"
         "    #1 0x55d1 in parse_reply(char const*) /src/client.c:12:3\n"
         "    #2 0x55e2 in session_run /src/client.c:80:9\n"
         "    #3 0x55f3 in main /src/client.c:120:5\n"
         "    #4 0x7f00 in __libc_start_main (/lib/libc.so.6+0x1)\n",
         "AddressSanitizer: heap-buffer-overflow", {"parse_reply", "session_run", "main"}},
        {"/src/codec.cpp:88:17: runtime error: signed integer overflow: 2147483647 + 1 cannot be represented\n",
         "UndefinedBehaviorSanitizer: runtime error", {"codec.cpp:88"}},
        {"==7==ERROR: LeakSanitizer: detected memory leaks\n\nDirect leak of 8 byte(s) in 1 object(s) allocated from:\n"
         "    #0 0x1 in __interceptor_malloc x\n    #1 0x2 in make_buffer /a.c:3\n",
         "LeakSanitizer: detected memory leaks", {"make_buffer"}},
        {"==9==WARNING: MemorySanitizer: use-of-uninitialized-value\n    #0 0x1 in read_line /b.c:4:2\n",
         "MemorySanitizer: use-of-uninitialized-value", {"read_line"}},
        // No place before the marker: never an empty frame (libFuzzer found this one).
        {": runtime error:000000900000ff:7:rLOGIN\n", std::nullopt, {}},
        {"/: runtime error: x\n", "UndefinedBehaviorSanitizer: runtime error", {}},
    };
    for (const Row& r : rows) {
        EXPECT_EQ(sanitizer_kind(r.text), r.kind) << r.text;
        EXPECT_EQ(sanitizer_frames(r.text), r.frames) << r.text;
    }
}

TEST(Judge, OrderAndSignals) {
    Observation o;
    EXPECT_FALSE(judge(o));
    o.exit_code = 1;
    EXPECT_FALSE(judge(o));  // refusing a hostile reply is a client's right
    o.exit_code = 128 + SIGSEGV;  // sh reports the child's signal as 128+N
    ASSERT_TRUE(judge(o));
    EXPECT_EQ(judge(o)->oracle, "crash");
    EXPECT_EQ(judge(o)->detail, "SIGSEGV");
    o = {};
    o.signal = SIGABRT;
    EXPECT_EQ(judge(o)->detail, "SIGABRT");
    o.stderr_tail = "==1==ERROR: AddressSanitizer: SEGV on unknown address\n    #0 0x1 in f /a.c:1\n";
    EXPECT_EQ(judge(o)->oracle, "sanitizer");
    o = {};
    o.signal = SIGKILL;
    o.timed_out = true;
    EXPECT_EQ(judge(o)->oracle, "hang");
    o.rss_exceeded = true;
    EXPECT_EQ(judge(o)->oracle, "memory");
    o = {};
    o.exit_code = 0;
    o.failed_rules = {"no-plaintext-credentials"};
    EXPECT_EQ(judge(o)->oracle, "behaviour");
    EXPECT_EQ(judge(o)->detail, "no-plaintext-credentials");
}

TEST(Judge, Signature) {
    const Fault f{"sanitizer", "AddressSanitizer: heap-buffer-overflow", {"parse_reply", "main"}};
    const std::vector<Anomaly> a{{Stage::mail, *anomaly_index("len-4096")}, {Stage::quit, *anomaly_index("conn-fin")}};
    EXPECT_EQ(signature(f, a), "sanitizer:AddressSanitizer: heap-buffer-overflow|mail/len-4096,quit/conn-fin|frames:parse_reply;main");
    EXPECT_EQ(signature(Fault{"hang", "no exit by the case deadline", {}}, {a[0]}), "hang:no exit by the case deadline|mail/len-4096");
}

TEST(Minimise, DdminFindsTheFailingCore) {
    std::vector<int> items(100);
    for (int i = 0; i < 100; ++i) items[static_cast<std::size_t>(i)] = i;
    std::size_t budget = 1000;
    const std::function<bool(const std::vector<int>&)> has_both = [](const std::vector<int>& v) {
        return std::find(v.begin(), v.end(), 17) != v.end() && std::find(v.begin(), v.end(), 71) != v.end();
    };
    EXPECT_EQ(ddmin(items, has_both, budget), (std::vector<int>{17, 71}));
    std::size_t none = 0;
    EXPECT_EQ(ddmin(items, has_both, none).size(), 100u);  // no budget: unchanged
}

TEST(Minimise, ScriptToTheOffendingLineAndOctets) {
    scenario::Rule keep;
    keep.match.step = scenario::Step::mail;
    keep.action.reply.raw = "250-a\r\n250-" + std::string(5000, 'x') + "\r\n250 b\r\n";
    scenario::Rule noise;
    noise.match.step = scenario::Step::quit;
    noise.action.reply.raw = "221 bye\r\n";
    // "Crashes" when a MAIL reply holds a run of at least 1000 'x'.
    const ScriptTest crashes = [](const std::vector<scenario::Rule>& rules) {
        for (const auto& r : rules)
            if (r.match.step == scenario::Step::mail && r.action.reply.raw && r.action.reply.raw->find(std::string(1000, 'x')) != std::string::npos)
                return true;
        return false;
    };
    const Minimised m = minimise_script({noise, keep}, crashes, 400);
    ASSERT_EQ(m.rules.size(), 1u);
    EXPECT_EQ(m.rules[0].match.step, scenario::Step::mail);
    EXPECT_TRUE(crashes(m.rules));
    EXPECT_LT(m.rules[0].action.reply.raw->size(), 1100u);
    EXPECT_LE(m.runs, 400u);
    EXPECT_EQ(split_lines("a\r\nb\nc"), (std::vector<std::string>{"a\r\n", "b\n", "c"}));
}

}  // namespace
}  // namespace exosim::fuzz
