// EHLO keyword lines (RFC 5321 4.1.1.1) as the server, the verdicts and the reference client read them.
#include "core/ehlo_keywords.hpp"

#include <gtest/gtest.h>

namespace exosim::core {
namespace {

struct Case {
    std::string_view line;
    std::string keyword;  // "" for no token
    std::vector<std::string_view> params;
    std::vector<std::string> auth;         // ehlo_auth_mechanisms(line, true)
    std::vector<std::string> auth_strict;  // ehlo_auth_mechanisms(line, false)
};

class EhloLines : public ::testing::TestWithParam<Case> {};

TEST_P(EhloLines, Parse) {
    const Case& c = GetParam();
    const auto l = parse_ehlo_line(c.line);
    if (c.keyword.empty()) {
        EXPECT_FALSE(l.has_value());
    } else {
        ASSERT_TRUE(l.has_value());
        EXPECT_EQ(l->keyword, c.keyword);
        EXPECT_EQ(l->params, c.params);
    }
    EXPECT_EQ(ehlo_auth_mechanisms(c.line, true), c.auth);
    EXPECT_EQ(ehlo_auth_mechanisms(c.line, false), c.auth_strict);
}

INSTANTIATE_TEST_SUITE_P(
    Rfc5321, EhloLines,
    ::testing::Values(
        Case{"SIZE 157286400", "SIZE", {"157286400"}, {}, {}},
        Case{"pipelining", "PIPELINING", {}, {}, {}},
        Case{"AUTH LOGIN XOAUTH2", "AUTH", {"LOGIN", "XOAUTH2"}, {"LOGIN", "XOAUTH2"}, {"LOGIN", "XOAUTH2"}},
        Case{"auth  login   plain ", "AUTH", {"login", "plain"}, {"LOGIN", "PLAIN"}, {"LOGIN", "PLAIN"}},
        // Old Exchange's "AUTH=LOGIN PLAIN": a keyword of its own, mechanisms only in legacy mode.
        Case{"AUTH=LOGIN PLAIN", "AUTH=LOGIN", {"PLAIN"}, {"LOGIN", "PLAIN"}, {}},
        // CC-29: look-alikes are other keywords.
        Case{"XSTARTTLS", "XSTARTTLS", {}, {}, {}},
        Case{"AUTHX LOGIN", "AUTHX", {"LOGIN"}, {}, {}},
        Case{"", "", {}, {}, {}},
        Case{"   ", "", {}, {}, {}}));

TEST(EhloTokens, SplitOnSpaceOnly) {
    EXPECT_EQ(ehlo_tokens(" a  b\tc "), (std::vector<std::string_view>{"a", "b\tc"}));
    EXPECT_TRUE(ehlo_tokens("").empty());
}

}  // namespace
}  // namespace exosim::core
