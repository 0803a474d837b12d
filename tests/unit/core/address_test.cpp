#include <gtest/gtest.h>

#include <string>

#include "core/address.hpp"

using namespace exosim::core;

namespace {

struct PathCase {
    std::string in;
    PathError error;
    std::string str;  // expected Path::str() when valid
};

class PathTable : public ::testing::TestWithParam<PathCase> {};

TEST_P(PathTable, Parses) {
    const PathCase& c = GetParam();
    const PathParse p = parse_path(c.in, false);
    EXPECT_EQ(p.error, c.error) << c.in;
    if (c.error == PathError::none) {
        ASSERT_TRUE(p.path.has_value());
        EXPECT_EQ(p.path->str(), c.str);
        EXPECT_EQ(p.consumed, c.in.find('>') + 1);
    } else {
        EXPECT_FALSE(p.path.has_value());
    }
}

INSTANTIATE_TEST_SUITE_P(
    Rfc5321, PathTable,
    ::testing::Values(PathCase{"<>", PathError::none, ""}, PathCase{"<a@b>", PathError::none, "a@b"},
                      PathCase{"<first.last@example.com>", PathError::none, "first.last@example.com"},
                      PathCase{"<\"a b\"@example.com>", PathError::none, "\"a b\"@example.com"},
                      PathCase{"<\"a\\\"b\"@x.y>", PathError::none, "\"a\\\"b\"@x.y"},
                      PathCase{"<@a,@b:user@c.d>", PathError::none, "user@c.d"},
                      PathCase{"<u@[127.0.0.1]>", PathError::none, "u@[127.0.0.1]"},
                      PathCase{"<u@[IPv6:::1]>", PathError::none, "u@[IPv6:::1]"},
                      PathCase{"<u@[IPv6:2001:db8::1]>", PathError::none, "u@[IPv6:2001:db8::1]"},
                      PathCase{"<u@[256.0.0.1]>", PathError::syntax, ""},
                      PathCase{"<a@b", PathError::syntax, ""}, PathCase{"a@b", PathError::syntax, ""},
                      PathCase{"<a.@b>", PathError::syntax, ""}, PathCase{"<.a@b>", PathError::syntax, ""},
                      PathCase{"<a..b@c>", PathError::syntax, ""}, PathCase{"<a@-b>", PathError::syntax, ""},
                      PathCase{"<a@b->", PathError::syntax, ""}, PathCase{"<a@b..c>", PathError::syntax, ""},
                      PathCase{"<@>", PathError::syntax, ""}, PathCase{"<a>", PathError::syntax, ""},
                      PathCase{"<;sleep 66;>", PathError::syntax, ""}, PathCase{"<a@b|cat>", PathError::syntax, ""},
                      PathCase{"<$(id)@x>", PathError::syntax, ""},
                      PathCase{"<j\xc3\xb6rg@ex\xc3\xa4mple.com>", PathError::non_ascii, ""}));

std::string label63() { return std::string(63, 'd'); }

// A domain of exactly n octets (n >= 1) made of labels of at most 50 octets.
std::string domain_of(std::size_t n) {
    std::string d;
    while (n - d.size() > 51) d += std::string(50, 'd') + ".";
    return d + std::string(n - d.size(), 'e');
}

}  // namespace

// RFC 5321 4.5.3.1.1: local-part 64 octets.
TEST(PathLimits, LocalPart63_64_65) {
    EXPECT_EQ(parse_path("<" + std::string(63, 'a') + "@b>", false).error, PathError::none);
    EXPECT_EQ(parse_path("<" + std::string(64, 'a') + "@b>", false).error, PathError::none);
    EXPECT_EQ(parse_path("<" + std::string(65, 'a') + "@b>", false).error, PathError::local_part_too_long);
}

// RFC 5321 4.5.3.1.2: domain 255 octets (a 255-octet domain already exceeds the 256-octet path).
TEST(PathLimits, Domain254_255_256) {
    ASSERT_EQ(domain_of(255).size(), 255u);
    EXPECT_EQ(parse_path("<a@" + domain_of(254) + ">", false).error, PathError::too_long);
    EXPECT_EQ(parse_path("<a@" + domain_of(255) + ">", false).error, PathError::too_long);
    EXPECT_EQ(parse_path("<a@" + domain_of(256) + ">", false).error, PathError::domain_too_long);
    EXPECT_TRUE(is_valid_domain(domain_of(255)));
    EXPECT_FALSE(is_valid_domain(domain_of(256)));
}

// RFC 5321 4.5.3.1.3: path 256 octets including "<" and ">".
TEST(PathLimits, Path255_256_257) {
    const std::string local(64, 'a');
    auto path_of = [&](std::size_t total) { return "<" + local + "@" + domain_of(total - 67) + ">"; };
    ASSERT_EQ(path_of(256).size(), 256u);
    EXPECT_EQ(parse_path(path_of(255), false).error, PathError::none);
    EXPECT_EQ(parse_path(path_of(256), false).error, PathError::none);
    EXPECT_EQ(parse_path(path_of(257), false).error, PathError::too_long);
}

TEST(PathLimits, LabelOver63IsSyntax) {
    EXPECT_EQ(parse_path("<a@" + label63() + ".x>", false).error, PathError::none);
    EXPECT_EQ(parse_path("<a@" + label63() + "d.x>", false).error, PathError::syntax);
}

TEST(PathUtf8, AllowedOnlyWhenNegotiated) {
    const std::string p = "<j\xc3\xb6rg@ex\xc3\xa4mple.com>";
    EXPECT_EQ(parse_path(p, false).error, PathError::non_ascii);
    const PathParse ok = parse_path(p, true);
    ASSERT_EQ(ok.error, PathError::none);
    EXPECT_EQ(ok.path->mailbox.local_part, "j\xc3\xb6rg");
    EXPECT_EQ(parse_path("<a\xff@b>", true).error, PathError::syntax);  // not UTF-8
}

TEST(PathParse, StopsAtClosingBracket) {
    const PathParse p = parse_path("<a@b> SIZE=10", false);
    ASSERT_EQ(p.error, PathError::none);
    EXPECT_EQ(p.consumed, 5u);
}

TEST(Domain, Validity) {
    EXPECT_TRUE(is_valid_domain("mail.example.com"));
    EXPECT_TRUE(is_valid_domain("[10.0.0.1]"));
    EXPECT_FALSE(is_valid_domain(""));
    EXPECT_FALSE(is_valid_domain("a_b.com"));
    EXPECT_FALSE(is_valid_domain("a b"));
    EXPECT_TRUE(is_valid_address_literal("[IPv6:2001:db8:0:0:0:0:0:1]"));
    EXPECT_FALSE(is_valid_address_literal("[IPv6:1:2:3:4:5:6:7:8:9]"));
    EXPECT_TRUE(is_valid_address_literal("[IPv6:::ffff:1.2.3.4]"));
    EXPECT_TRUE(is_valid_address_literal("[x-tag:abc]"));
    EXPECT_FALSE(is_valid_address_literal("[1.2.3]"));
}
