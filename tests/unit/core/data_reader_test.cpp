#include <gtest/gtest.h>

#include "core/data_reader.hpp"

using namespace exosim::core;

namespace {

struct Probe {
    std::string name;
    std::string wire;     // after "354"
    std::size_t end;      // expected end offset, npos when incomplete
};

std::size_t run(const std::string& wire, BareLineEnding mode, std::size_t step, std::string* content = nullptr) {
    DataReader r(mode, 1 << 20);
    std::size_t used = 0;
    for (std::size_t i = 0; i < wire.size() && !r.done(); i += step) {
        const std::size_t n = r.feed(std::string_view(wire).substr(i, std::min(step, wire.size() - i)));
        used += n;
    }
    if (content) *content = r.content();
    return r.done() ? used : std::string::npos;
}

const std::string tail = "MAIL FROM:<x@y>\r\nRCPT TO:<z@w>\r\nDATA\r\nSubject: smuggled\r\n\r\nx\r\n.\r\n";
const std::string head = "Subject: a\r\n\r\nbody";

class Smuggling : public ::testing::TestWithParam<Probe> {};

// SR-07 / SR-08: every candidate is content; only the final "\r\n.\r\n" ends the data.
TEST_P(Smuggling, OnlyCrlfDotCrlfEndsData) {
    const Probe& p = GetParam();
    for (auto mode : {BareLineEnding::reject, BareLineEnding::normalize}) {
        for (std::size_t step : {std::size_t{1}, std::size_t{3}, p.wire.size()}) {
            EXPECT_EQ(run(p.wire, mode, step), p.end) << p.name << " step " << step;
        }
        EXPECT_EQ(reference_end_of_data(p.wire), p.end) << p.name;
    }
}

Probe probe(std::string name, std::string eod) {
    const std::string wire = head + eod + tail;
    return Probe{std::move(name), wire, wire.size()};
}

INSTANTIATE_TEST_SUITE_P(
    Sr08, Smuggling,
    ::testing::Values(probe("lf_dot_lf", "\n.\n"), probe("lf_dot_cr", "\n.\r"), probe("cr_dot_lf", "\r.\n"),
                      probe("cr_dot_cr", "\r.\r"), probe("lf_dot_crlf", "\n.\r\n"), probe("cr_dot_crlf", "\r.\r\n"),
                      probe("nul_dot", std::string("\r\n\0.\r\n", 6)), probe("dot_nul", std::string("\r\n.\0\r\n", 6)),
                      probe("dot_cr_crlf", "\r\n.\r\r\n"), probe("cr_crlf_dot_cr_crlf", "\r\r\n.\r\r\n"),
                      probe("dot_space", "\r\n. \r\n"),
                      Probe{"real_end", head + "\r\n.\r\nQUIT\r\n", head.size() + 5},
                      Probe{"empty_message", ".\r\nQUIT\r\n", 3}, Probe{"incomplete", head + "\r\n.\r", std::string::npos}),
    [](const auto& info) { return info.param.name; });

}  // namespace

// SR-27: dot-stuffing round trip.
TEST(DataReader, DotUnstuffing) {
    std::string content;
    const std::string wire = "..hidden\r\n..\r\n. \r\n...\r\nend\r\n.\r\n";
    ASSERT_EQ(run(wire, BareLineEnding::reject, wire.size(), &content), wire.size());
    EXPECT_EQ(content, ".hidden\r\n.\r\n \r\n..\r\nend\r\n");
    // RFC 5321 4.5.2: any leading dot of a longer line is removed, so ". " is stored as " ".
    EXPECT_EQ(dot_stuff(content), "..hidden\r\n..\r\n \r\n...\r\nend\r\n");
    EXPECT_EQ(reference_unstuff(wire.substr(0, wire.size() - 3)), content);
}

TEST(DataReader, SplitAtEveryByteGivesSameContent) {
    const std::string wire = "A: b\r\n\r\n..x\r\nline\r\n\r\n.\r\n";
    std::string whole, split;
    run(wire, BareLineEnding::reject, wire.size(), &whole);
    for (std::size_t s = 1; s < wire.size(); ++s) {
        ASSERT_EQ(run(wire, BareLineEnding::reject, s, &split), wire.size());
        EXPECT_EQ(split, whole);
    }
}

TEST(DataReader, BareEndingsRecordedAndNormalized) {
    DataReader reject(BareLineEnding::reject, 1000);
    reject.feed("a\nb\rc\r\n.\r\n");
    EXPECT_TRUE(reject.done());
    EXPECT_TRUE(reject.bare_lf());
    EXPECT_TRUE(reject.bare_cr());
    EXPECT_EQ(reject.content(), "a\nb\rc\r\n");
    DataReader norm(BareLineEnding::normalize, 1000);
    norm.feed("a\nb\rc\r\n.\n..\r\n.\r\n");
    EXPECT_TRUE(norm.done());
    // ".\n.." : the leading dot is removed (RFC 5321 4.5.2), the bare LF becomes CRLF, ".." is mid-line.
    EXPECT_EQ(norm.content(), "a\r\nb\r\nc\r\n\r\n..\r\n");
}

TEST(DataReader, SizeCapKeepsReadingToTheEnd) {
    DataReader r(BareLineEnding::reject, 10);
    const std::string wire = std::string(50, 'x') + "\r\n.\r\nNEXT";
    EXPECT_EQ(r.feed(wire), wire.size() - 4);
    EXPECT_TRUE(r.done());
    EXPECT_TRUE(r.overflow());
    EXPECT_EQ(r.size(), 52u);
    EXPECT_TRUE(r.content().empty());
}

// RFC 5321 4.5.3.1.6: 1000 octets including CRLF.
TEST(DataReader, LongLine999_1000_1001) {
    for (std::size_t n : {997u, 998u, 999u}) {
        DataReader r(BareLineEnding::reject, 1 << 20);
        r.feed(std::string(n, 'x') + "\r\n.\r\n");
        EXPECT_EQ(r.long_line(), n == 999u) << n;
    }
}

TEST(DataReader, StuffRoundTrip) {
    const std::string content = ".a\r\nb\r\n..\r\n.\r\n";
    const std::string wire = dot_stuff(content) + ".\r\n";
    std::string out;
    ASSERT_EQ(run(wire, BareLineEnding::reject, 1, &out), wire.size());
    EXPECT_EQ(out, content);
}

namespace {

// Octet-at-a-time model of the reader (RFC 5321 4.5.2 unstuffing, bare CR/LF kept as in reject
// mode), independent of its line-at-a-time fast path: what a correct reader stores.
std::string model_content(const std::string& wire) {
    std::string out;
    bool line_start = true;
    for (std::size_t i = 0; i < wire.size(); ++i) {
        if (line_start && wire.compare(i, 3, ".\r\n") == 0) return out;
        if (line_start && wire[i] == '.') ++i;
        if (i >= wire.size()) break;
        out += wire[i];
        line_start = wire[i] == '\n' && i > 0 && wire[i - 1] == '\r';
    }
    return out;
}

}  // namespace

// Lines far longer than the reader's search window, content with no CR at all, and CR/LF pairs
// straddling every read boundary: stored content and the long-line finding match the model.
TEST(DataReader, LongAndBareLinesMatchAnOctetModel) {
    std::string body;
    for (std::size_t n : {1u, 80u, 998u, 4095u, 4096u, 4097u, 9000u}) body += std::string(n, 'a') + "\r\n";
    body += ".stuffed\r\n" + std::string(5000, 'b') + "\n" + std::string(20, 'c') + "\r" + std::string(7000, 'd') + "\r\n";
    for (int i = 0; i < 3000; ++i) body += "lf only\n";
    const std::string wire = body + "end\r\n.\r\n";
    for (std::size_t step : {1u, 2u, 7u, 4096u, 4097u, 65536u}) {
        DataReader r(BareLineEnding::reject, 1 << 20);
        for (std::size_t i = 0; i < wire.size() && !r.done(); i += step)
            r.feed(std::string_view(wire).substr(i, std::min(step, wire.size() - i)));
        ASSERT_TRUE(r.done()) << step;
        EXPECT_EQ(r.content(), model_content(wire)) << step;
        EXPECT_TRUE(r.long_line()) << step;
        EXPECT_TRUE(r.bare_lf()) << step;
        EXPECT_TRUE(r.bare_cr()) << step;
        EXPECT_EQ(r.size(), r.content().size()) << step;
    }
}
