#include "store/json_text.hpp"

#include <gtest/gtest.h>

namespace exosim::store {
namespace {

TEST(JsonText, Utf8ValidityTable) {
    struct Case {
        std::string text;
        bool valid;
    };
    const Case cases[] = {
        {"", true},
        {"plain ascii\r\n", true},
        {"caf\xc3\xa9", true},
        {"\xe2\x82\xac", true},          // U+20AC
        {"\xf0\x9f\x98\x80", true},      // U+1F600
        {"\xf4\x8f\xbf\xbf", true},      // U+10FFFF
        {"\xc0\xaf", false},             // overlong '/'
        {"\xe0\x80\xaf", false},         // overlong
        {"\xed\xa0\x80", false},         // surrogate U+D800
        {"\xf4\x90\x80\x80", false},     // above U+10FFFF
        {"\xe2\x82", false},             // truncated
        {"\x80", false},                 // lone continuation
        {"\xff", false},
        {std::string("a\0b", 3), true},  // NUL is valid UTF-8 (JSON escapes it)
    };
    for (const Case& c : cases) EXPECT_EQ(is_valid_utf8(c.text), c.valid) << testing::PrintToString(c.text);
}

// The validator skips ASCII eight bytes at a time: a bad byte or a sequence at any offset of a
// long text, across those eight-byte steps, must still be judged.
TEST(JsonText, Utf8ValidityAtEveryOffsetOfALongText) {
    for (std::size_t pos = 0; pos < 40; ++pos) {
        std::string text(40, 'a');
        text[pos] = '\xff';
        EXPECT_FALSE(is_valid_utf8(text)) << pos;
        text[pos] = '\x80';
        EXPECT_FALSE(is_valid_utf8(text)) << pos;
        std::string euro = std::string(40, 'a').insert(pos, "\xe2\x82\xac");
        EXPECT_TRUE(is_valid_utf8(euro)) << pos;
        std::string cut = std::string(40, 'a').insert(pos, "\xe2\x82");
        EXPECT_FALSE(is_valid_utf8(cut)) << pos;
    }
}

TEST(JsonText, ReplacesInvalidSequences) {
    EXPECT_EQ(to_valid_utf8("caf\xe9!"), "caf\xef\xbf\xbd!");
    EXPECT_EQ(to_valid_utf8("\xe2\x82" "A"), "\xef\xbf\xbd" "A");
    EXPECT_EQ(to_valid_utf8("\x80\x80x"), "\xef\xbf\xbdx");
    EXPECT_EQ(to_valid_utf8("ok \xe2\x82\xac"), "ok \xe2\x82\xac");
    EXPECT_TRUE(is_valid_utf8(to_valid_utf8("\xf0\x9f\x98\xff\xfe\xed\xa0\x80")));
}

TEST(JsonText, UtcTimeRoundTrip) {
    using namespace std::chrono;
    system_clock::time_point t{milliseconds(1700000000123)};
    EXPECT_EQ(format_utc_ms(t), "2023-11-14T22:13:20.123Z");
    EXPECT_EQ(parse_utc_ms("2023-11-14T22:13:20.123Z"), t);
    EXPECT_EQ(format_utc_ms(system_clock::time_point{}), "1970-01-01T00:00:00.000Z");
    EXPECT_FALSE(parse_utc_ms("2023-11-14 22:13:20.123Z"));
    EXPECT_FALSE(parse_utc_ms("2023-11-14T22:13:20Z"));
}

TEST(JsonText, SafeFileIds) {
    EXPECT_TRUE(is_safe_file_id("20250131T123456789Z-000001-1a2b3c4d"));
    EXPECT_TRUE(is_safe_file_id("08DC1234ABCD5678"));
    EXPECT_FALSE(is_safe_file_id(""));
    EXPECT_FALSE(is_safe_file_id(".hidden"));
    EXPECT_FALSE(is_safe_file_id("a/b"));
    EXPECT_FALSE(is_safe_file_id(".."));
    EXPECT_FALSE(is_safe_file_id(std::string(129, 'a')));
}

}  // namespace
}  // namespace exosim::store
