#include <gtest/gtest.h>

#include "core/line_reader.hpp"

using namespace exosim::core;

namespace {

struct Out {
    std::vector<std::string> lines;  // "T:" too long, "L<ending>:" + text
    std::size_t kept = 0;            // octets left unconsumed
};

std::string tag(const LineReader::Result& r) {
    if (r.kind == LineReader::Kind::too_long) return "T";
    const char* e = r.ending == LineEnding::crlf ? "crlf" : r.ending == LineEnding::bare_lf ? "lf" : "cr";
    return std::string(e) + ":" + r.text;
}

// Feeds `in` in pieces of `step` octets into a buffer the way the engine does.
Out run(std::string_view in, BareLineEnding mode, std::size_t limit, std::size_t step) {
    LineReader reader(mode);
    Out out;
    std::string buf;
    for (std::size_t i = 0; i < in.size(); i += step) {
        buf.append(in.substr(i, step));
        for (;;) {
            const auto r = reader.next(buf, limit);
            buf.erase(0, r.consumed);
            if (r.kind == LineReader::Kind::need_more) break;
            if (r.kind != LineReader::Kind::skipped) out.lines.push_back(tag(r));
        }
    }
    out.kept = buf.size();
    return out;
}

void same_at_every_split(std::string_view in, BareLineEnding mode, std::size_t limit, const std::vector<std::string>& want) {
    for (std::size_t step : {in.size(), std::size_t{1}, std::size_t{2}, std::size_t{7}}) {
        if (step == 0) continue;
        EXPECT_EQ(run(in, mode, limit, step).lines, want) << "step " << step;
    }
}

}  // namespace

TEST(LineReader, RejectModeEndsOnlyAtLf) {
    same_at_every_split("EHLO x\r\nA\rB\r\nC\n", BareLineEnding::reject, 512, {"crlf:EHLO x", "cr:A\rB", "lf:C"});
}

TEST(LineReader, NormalizeModeSplitsAtEachEnding) {
    same_at_every_split("EHLO x\nMAIL\rRCPT\r\nD\r\r\n", BareLineEnding::normalize, 512,
                        {"lf:EHLO x", "cr:MAIL", "crlf:RCPT", "cr:D", "crlf:"});
}

// RFC 5321 4.5.3.1.4: 512 octets including CRLF.
TEST(LineReader, Limit511_512_513) {
    for (auto mode : {BareLineEnding::reject, BareLineEnding::normalize}) {
        same_at_every_split(std::string(509, 'a') + "\r\n", mode, 512, {"crlf:" + std::string(509, 'a')});
        same_at_every_split(std::string(510, 'a') + "\r\n", mode, 512, {"crlf:" + std::string(510, 'a')});
        same_at_every_split(std::string(511, 'a') + "\r\nNOOP\r\n", mode, 512, {"T", "crlf:NOOP"});
    }
}

TEST(LineReader, HugeLineIsBoundedAndSkipped) {
    const std::string in = "NOOP " + std::string(100000, 'x') + "\r\nQUIT\r\n";
    const Out o = run(in, BareLineEnding::reject, 512, 4096);
    EXPECT_EQ(o.lines, (std::vector<std::string>{"T", "crlf:QUIT"}));
    EXPECT_EQ(o.kept, 0u);
}

TEST(LineReader, UnterminatedInputKeepsAtMostTheLimit) {
    LineReader reader;
    std::string buf(600, 'A');
    const auto r = reader.next(buf, 512);
    EXPECT_EQ(r.kind, LineReader::Kind::too_long);
    EXPECT_EQ(r.consumed, 600u);
    EXPECT_EQ(reader.next(std::string(10, 'A'), 512).kind, LineReader::Kind::skipped);
}
