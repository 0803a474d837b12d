// ReplyParser: table test (CC-13), split-at-every-byte (CC-12), bounds (CC-14, CC-15), discard_pending (CC-04).
#include "core/reply_parser.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

using exosim::core::EnhancedCode;
using exosim::core::ParsedReply;
using exosim::core::ReplyError;
using exosim::core::ReplyParser;
using exosim::core::max_reply_line;
using exosim::core::max_reply_lines;

namespace {

struct Parsed {
    std::vector<ParsedReply> replies;
    ReplyError error = ReplyError::none;
};

Parsed parse_whole(std::string_view input, bool lenient = false) {
    ReplyParser parser(lenient);
    parser.feed(input);
    Parsed out;
    while (auto r = parser.next()) out.replies.push_back(std::move(*r));
    out.error = parser.error();
    return out;
}

Parsed parse_split(std::string_view input, std::size_t step) {
    ReplyParser parser;
    Parsed out;
    for (std::size_t pos = 0; pos < input.size(); pos += step) {
        parser.feed(input.substr(pos, step));
        while (auto r = parser.next()) out.replies.push_back(std::move(*r));
    }
    out.error = parser.error();
    return out;
}

bool same(const Parsed& a, const Parsed& b) {
    if (a.error != b.error || a.replies.size() != b.replies.size()) return false;
    for (std::size_t i = 0; i < a.replies.size(); ++i) {
        if (!(a.replies[i].reply == b.replies[i].reply) || a.replies[i].raw != b.replies[i].raw) return false;
    }
    return true;
}

struct Case {
    const char* name;
    std::string input;
    ReplyError error;
    int replies;  // complete replies before the error (or at the end)
    int code;     // of the first reply, when there is one
};

class MalformedReplies : public ::testing::TestWithParam<Case> {};

TEST_P(MalformedReplies, ParsesAsExpected) {
    const Case& c = GetParam();
    Parsed p = parse_whole(c.input);
    EXPECT_EQ(p.error, c.error) << c.name;
    ASSERT_EQ(p.replies.size(), static_cast<std::size_t>(c.replies)) << c.name;
    if (c.replies > 0) {
        EXPECT_EQ(p.replies[0].reply.code, c.code) << c.name;
    }
}

// CC-13. RFC 5321 4.2's grammar allows a final line that is the bare code ("250\r\n"), so those parse;
// the client then still requires the code's first digit to be 2.
INSTANTIATE_TEST_SUITE_P(
    CC13, MalformedReplies,
    ::testing::Values(Case{"code only", "250\r\n", ReplyError::none, 1, 250},
                      Case{"bare code final line", "250-x\r\n250\r\n", ReplyError::none, 1, 250},
                      Case{"two digits", "25\r\n", ReplyError::bad_code, 0, 0},
                      Case{"four digits", "2500 OK\r\n", ReplyError::bad_code, 0, 0},
                      Case{"tab separator", "250\tOK\r\n", ReplyError::bad_separator, 0, 0},
                      Case{"empty texts", "250-\r\n250 \r\n", ReplyError::none, 1, 250},
                      Case{"bare LF", "250 OK\n", ReplyError::bare_line_ending, 0, 0},
                      Case{"no line end", "250 OK", ReplyError::none, 0, 0},
                      Case{"code changes", "250-A\r\n251 B\r\n", ReplyError::code_changed, 0, 0},
                      Case{"letters", "abc\r\n", ReplyError::bad_code, 0, 0},
                      Case{"NULs", std::string("\0\0\0\r\n", 5), ReplyError::bad_code, 0, 0},
                      Case{"999", "999 x\r\n", ReplyError::bad_code, 0, 0},
                      Case{"unknown but well-formed", "299 fine\r\n", ReplyError::none, 1, 299},
                      Case{"first digit 6", "600 x\r\n", ReplyError::bad_code, 0, 0},
                      Case{"first digit 1", "199 x\r\n", ReplyError::bad_code, 0, 0},
                      Case{"high octets in text", "250 \xff\xfe\r\n", ReplyError::none, 1, 250},
                      Case{"bare CR inside", "250 a\rb\r\n", ReplyError::bare_line_ending, 0, 0},
                      Case{"valid then broken", "220 ok\r\nxyz\r\n", ReplyError::bad_code, 1, 220},
                      Case{"multi-line greeting", "220-multi\r\n220 line\r\n", ReplyError::none, 1, 220}),
    [](const auto& info) {
        std::string n = info.param.name;
        for (char& ch : n) {
            if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
        }
        return n;
    });

TEST(ReplyParser, SplitsTextAndEnhancedCode) {
    Parsed p = parse_whole("250-2.1.0 Sender\r\n250 2.1.0 OK\r\n");
    ASSERT_EQ(p.replies.size(), 1u);
    EXPECT_EQ(p.replies[0].reply.enhanced, (EnhancedCode{2, 1, 0}));
    EXPECT_EQ(p.replies[0].reply.lines, (std::vector<std::string>{"Sender", "OK"}));
    EXPECT_EQ(p.replies[0].raw, "250-2.1.0 Sender\r\n250 2.1.0 OK\r\n");
}

TEST(ReplyParser, KeepsTextWhenEnhancedCodesDiffer) {
    Parsed p = parse_whole("250-mock.example\r\n250 2.0.0 OK\r\n");
    ASSERT_EQ(p.replies.size(), 1u);
    EXPECT_FALSE(p.replies[0].reply.enhanced);
    EXPECT_EQ(p.replies[0].reply.lines[1], "2.0.0 OK");
}

TEST(ReplyParser, EnhancedClassMustMatchCode) {
    Parsed p = parse_whole("550 4.1.1 odd\r\n");
    EXPECT_FALSE(p.replies[0].reply.enhanced);
}

TEST(ReplyParser, LenientModeAcceptsBareLfAndReportsIt) {
    ReplyParser parser(true);
    EXPECT_TRUE(parser.feed("250 OK\n"));
    ASSERT_TRUE(parser.next());
    EXPECT_TRUE(parser.saw_bare_line_ending());
}

// CC-12: the default EHLO reply and a whole session, fed 1..n bytes at a time, parse identically.
TEST(ReplyParser, SplitAtEveryByteEqualsWholeBuffer) {
    const std::vector<std::string> inputs = {
        "220 mock.example ESMTP\r\n250-mock.example\r\n250-PIPELINING\r\n250-SIZE 36700160\r\n250-STARTTLS\r\n"
        "250 8BITMIME\r\n220 2.0.0 Ready\r\n235 2.7.0 ok\r\n250 2.1.0 ok\r\n354 go\r\n250 2.0.0 queued\r\n221 bye\r\n",
        "250-A\r\n251 B\r\n", "250 OK\n", "220 ok\r\n250-XOAUTH2 PLAIN", std::string("2\x00" "0 x\r\n", 7)};
    for (const std::string& input : inputs) {
        Parsed whole = parse_whole(input);
        for (std::size_t step = 1; step <= input.size(); ++step) EXPECT_TRUE(same(whole, parse_split(input, step))) << step;
    }
}

// Also every two-piece split: the CR and LF of one line can arrive separately.
TEST(ReplyParser, EveryTwoPieceSplitEqualsWholeBuffer) {
    const std::string input = "250-mock.example\r\n250-AUTH LOGIN XOAUTH2\r\n250 SIZE 1000\r\n550 5.1.1 no\r\n";
    Parsed whole = parse_whole(input);
    for (std::size_t cut = 0; cut <= input.size(); ++cut) {
        ReplyParser parser;
        parser.feed(input.substr(0, cut));
        parser.feed(input.substr(cut));
        Parsed split;
        while (auto r = parser.next()) split.replies.push_back(std::move(*r));
        split.error = parser.error();
        EXPECT_TRUE(same(whole, split)) << cut;
    }
}

// CC-15, limits at n-1, n, n+1: a line of max_reply_line octets including CRLF is the longest accepted.
TEST(ReplyParser, LineLengthBoundary) {
    auto line = [](std::size_t total) { return "250 " + std::string(total - 6, 'x') + "\r\n"; };
    EXPECT_EQ(parse_whole(line(max_reply_line - 1)).error, ReplyError::none);
    EXPECT_EQ(parse_whole(line(max_reply_line)).error, ReplyError::none);
    EXPECT_EQ(parse_whole(line(max_reply_line + 1)).error, ReplyError::line_too_long);
}

TEST(ReplyParser, UnterminatedLongLineIsRefusedWithoutBuffering) {
    ReplyParser parser;
    std::string chunk(4096, 'x');
    bool ok = parser.feed("250 ");
    for (int i = 0; i < 1000 && ok; ++i) ok = parser.feed(chunk);  // would be 4 MiB
    EXPECT_FALSE(ok);
    EXPECT_EQ(parser.error(), ReplyError::line_too_long);
    EXPECT_EQ(parser.pending_bytes(), 0u);
}

// CC-14: continuation lines are bounded too.
TEST(ReplyParser, ContinuationLineCountBoundary) {
    auto reply = [](std::size_t lines) {
        std::string s;
        for (std::size_t i = 1; i < lines; ++i) s += "250-x\r\n";
        return s + "250 end\r\n";
    };
    EXPECT_EQ(parse_whole(reply(max_reply_lines - 1)).error, ReplyError::none);
    EXPECT_EQ(parse_whole(reply(max_reply_lines)).error, ReplyError::none);
    EXPECT_EQ(parse_whole(reply(max_reply_lines + 1)).error, ReplyError::too_many_lines);
}

TEST(ReplyParser, FeedAfterErrorIsRefused) {
    ReplyParser parser;
    EXPECT_FALSE(parser.feed("xyz\r\n"));
    EXPECT_FALSE(parser.feed("250 OK\r\n"));
    EXPECT_FALSE(parser.next());
}

// CC-04: replies and partial lines that arrived with the STARTTLS 220 are dropped, unread.
TEST(ReplyParser, DiscardPendingDropsUnreadRepliesAndPartialLines) {
    ReplyParser parser;
    const std::string injected = "250-evil.example\r\n250 AUTH PLAIN LOGIN\r\n250-XOAUTH2 PLAIN";
    parser.feed("220 Ready to start TLS\r\n" + injected);
    ASSERT_EQ(parser.next()->reply.code, 220);
    EXPECT_EQ(parser.pending_bytes(), injected.size());
    EXPECT_EQ(parser.discard_pending(), injected.size());
    EXPECT_EQ(parser.pending_bytes(), 0u);
    EXPECT_FALSE(parser.next());
    parser.feed("250 fresh\r\n");
    auto fresh = parser.next();
    ASSERT_TRUE(fresh);
    EXPECT_EQ(fresh->raw, "250 fresh\r\n");
}

}  // namespace
