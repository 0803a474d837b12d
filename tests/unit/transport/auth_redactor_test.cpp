#include "transport/auth_redactor.hpp"

#include <gtest/gtest.h>

namespace exosim::transport {
namespace {

TEST(AuthRedactor, KeepsOrdinaryCommands) {
    AuthRedactor r;
    EXPECT_EQ(r.filter("EHLO x\r\nMAIL FROM:<a@b>\r\n", false), "EHLO x\r\nMAIL FROM:<a@b>\r\n");
}

TEST(AuthRedactor, HidesInitialResponseKeepsMechanism) {
    AuthRedactor r;
    EXPECT_EQ(r.filter("AUTH PLAIN AHVzZXIAcGFzcw==\r\n", false), "AUTH PLAIN [redacted]\r\n");
    EXPECT_EQ(r.filter("auth login\r\n", false), "auth login\r\n");
}

TEST(AuthRedactor, HidesSaslResponsesWhileTheEngineIsInAuth) {
    AuthRedactor r;
    EXPECT_EQ(r.filter("dXNlcg==\r\n", true), "[redacted]\r\n");
    EXPECT_EQ(r.filter("QUIT\r\n", false), "QUIT\r\n");
}

TEST(AuthRedactor, HidesLinesPipelinedBehindAuthInOneRead) {
    AuthRedactor r;
    EXPECT_EQ(r.filter("AUTH LOGIN\r\ndXNlcg==\r\ncGFzcw==\r\n", false), "AUTH LOGIN\r\n[redacted]\r\n[redacted]\r\n");
}

TEST(AuthRedactor, SecretSplitAcrossReadsAtEveryByte) {
    const std::string line = "AUTH PLAIN AHVzZXIAcGFzcw==\r\n";
    for (std::size_t cut = 1; cut < line.size(); ++cut) {
        AuthRedactor r;
        std::string out = r.filter(line.substr(0, cut), false);
        out += r.filter(line.substr(cut), false);
        EXPECT_EQ(out.find("AHVz"), std::string::npos) << cut;
        EXPECT_EQ(out.find("cGFz"), std::string::npos) << cut;
        EXPECT_EQ(out.substr(0, 11), "AUTH PLAIN ") << cut;
    }
}

// AUTH LOGIN and both SASL responses cut into two reads at every position, the second read fed
// while the engine is in its AUTH phase: the same bytes come out as from one read.
TEST(AuthRedactor, LoginExchangeSplitAtEveryReadGivesTheSameOutput) {
    const std::string in = "AUTH LOGIN\r\ndXNlcg==\r\ncGFzcw==\r\n";
    const std::string whole = AuthRedactor().filter(in, false);
    ASSERT_EQ(whole, "AUTH LOGIN\r\n[redacted]\r\n[redacted]\r\n");
    for (std::size_t cut = 1; cut < in.size(); ++cut) {
        AuthRedactor r;
        std::string out = r.filter(in.substr(0, cut), false);
        out += r.filter(in.substr(cut), true);
        EXPECT_EQ(out, whole) << cut;
    }
}

}  // namespace
}  // namespace exosim::transport
