#include <gtest/gtest.h>

#include "core/reply.hpp"

using exosim::core::EnhancedCode;
using exosim::core::Reply;

TEST(Reply, SingleLineWithEnhancedCode) {
    EXPECT_EQ(Reply(250, EnhancedCode{2, 1, 0}, "Sender OK").render(), "250 2.1.0 Sender OK\r\n");
}

TEST(Reply, SingleLineWithoutEnhancedCode) { EXPECT_EQ(Reply(354, "Go ahead").render(), "354 Go ahead\r\n"); }

TEST(Reply, MultiLineUsesDashUntilTheLastLine) {
    Reply r;
    r.code = 250;
    r.lines = {"mx.test Hello x", "PIPELINING", "SIZE 10"};
    EXPECT_EQ(r.render(), "250-mx.test Hello x\r\n250-PIPELINING\r\n250 SIZE 10\r\n");
}

TEST(Reply, EnhancedCodeOnEveryLine) {
    Reply r(550, EnhancedCode{5, 7, 139}, "first");
    r.lines.push_back("second");
    EXPECT_EQ(r.render(), "550-5.7.139 first\r\n550 5.7.139 second\r\n");
}

TEST(Reply, EmptyTextAndNoLines) {
    EXPECT_EQ(Reply(334, "").render(), "334 \r\n");
    Reply none;
    none.code = 250;
    EXPECT_EQ(none.render(), "250 \r\n");
    none.enhanced = EnhancedCode{2, 0, 0};
    EXPECT_EQ(none.render(), "250 2.0.0\r\n");
}

TEST(Reply, OneLineAndClasses) {
    const Reply r(535, EnhancedCode{5, 7, 8}, "Authentication credentials invalid");
    EXPECT_EQ(r.one_line(), "535 5.7.8 Authentication credentials invalid");
    EXPECT_TRUE(r.permanent());
    EXPECT_FALSE(r.positive());
    EXPECT_TRUE(Reply(451, "x").transient());
    EXPECT_TRUE(Reply(354, "x").positive());
}
