#include <gtest/gtest.h>

#include "core/command_parser.hpp"

using namespace exosim::core;

namespace {

struct Case {
    std::string line;
    Verb verb;
    CommandError error;
};

class CommandTable : public ::testing::TestWithParam<Case> {};

TEST_P(CommandTable, Parses) {
    const Case& c = GetParam();
    const CommandParse p = parse_command(c.line);
    EXPECT_EQ(p.command.verb, c.verb) << c.line;
    EXPECT_EQ(p.error, c.error) << c.line;
    EXPECT_EQ(p.command.raw, c.line);
    if (p.error == CommandError::none) {  // FZ-01 round trip
        const CommandParse again = parse_command(format_command(p.command));
        EXPECT_EQ(again.error, CommandError::none) << format_command(p.command);
        EXPECT_EQ(format_command(again.command), format_command(p.command));
    }
}

INSTANTIATE_TEST_SUITE_P(
    Rfc5321, CommandTable,
    ::testing::Values(
        Case{"EHLO client.example", Verb::ehlo, CommandError::none}, Case{"ehlo x", Verb::ehlo, CommandError::none},
        Case{"EHLO", Verb::ehlo, CommandError::syntax}, Case{"HELO x", Verb::helo, CommandError::none},
        Case{"MAIL FROM:<a@b>", Verb::mail, CommandError::none}, Case{"mail from:<>", Verb::mail, CommandError::none},
        Case{"MAIL FROM: <a@b>", Verb::mail, CommandError::none}, Case{"MAIL FROM:a@b", Verb::mail, CommandError::bad_path},
        Case{"MAIL TO:<a@b>", Verb::mail, CommandError::syntax}, Case{"MAIL FROM:<a@b>x", Verb::mail, CommandError::syntax},
        Case{"MAIL FROM:<a@b> SIZE=100 BODY=8BITMIME", Verb::mail, CommandError::none},
        Case{"MAIL FROM:<a@b> SIZE=abc", Verb::mail, CommandError::syntax},
        Case{"MAIL FROM:<a@b> SIZE=18446744073709551616", Verb::mail, CommandError::syntax},
        Case{"MAIL FROM:<a@b> SIZE=1 SIZE=2", Verb::mail, CommandError::syntax},
        Case{"MAIL FROM:<a@b> BODY=BINARYMIME", Verb::mail, CommandError::none},
        Case{"MAIL FROM:<a@b> BODY=9BIT", Verb::mail, CommandError::syntax},
        Case{"MAIL FROM:<a@b> RET=HDRS ENVID=QQ+2B AUTH=<>", Verb::mail, CommandError::none},
        Case{"MAIL FROM:<a@b> XFOO=1", Verb::mail, CommandError::bad_param},
        Case{"MAIL FROM:<a@b> SMTPUTF8=1", Verb::mail, CommandError::syntax},
        Case{"MAIL FROM:<j\xc3\xb6rg@x.y>", Verb::mail, CommandError::non_ascii_path},
        Case{"MAIL FROM:<j\xc3\xb6rg@x.y> SMTPUTF8", Verb::mail, CommandError::none},
        Case{"MAIL FROM:<" + std::string(600, 'a') + "@x>", Verb::mail, CommandError::path_too_long},
        Case{"RCPT TO:<c@d>", Verb::rcpt, CommandError::none}, Case{"RCPT TO:<>", Verb::rcpt, CommandError::bad_path},
        Case{"RCPT TO:<Postmaster>", Verb::rcpt, CommandError::none},
        Case{"RCPT TO:<c@d> NOTIFY=SUCCESS,FAILURE,DELAY ORCPT=rfc822;c+40d", Verb::rcpt, CommandError::none},
        Case{"RCPT TO:<c@d> NOTIFY=NEVER", Verb::rcpt, CommandError::none},
        Case{"RCPT TO:<c@d> NOTIFY=SOMETIMES", Verb::rcpt, CommandError::syntax},
        Case{"RCPT TO:<c@d> ORCPT=rfc822", Verb::rcpt, CommandError::syntax},
        Case{"RCPT TO:<c@d> SIZE=1", Verb::rcpt, CommandError::bad_param},
        Case{"DATA", Verb::data, CommandError::none}, Case{"DATA x", Verb::data, CommandError::unexpected_arg},
        Case{"DATA ", Verb::data, CommandError::none}, Case{"RSET", Verb::rset, CommandError::none},
        Case{"NOOP anything", Verb::noop, CommandError::none}, Case{"QUIT", Verb::quit, CommandError::none},
        Case{"VRFY user", Verb::vrfy, CommandError::none}, Case{"VRFY", Verb::vrfy, CommandError::syntax},
        Case{"HELP", Verb::help, CommandError::none}, Case{"STARTTLS", Verb::starttls, CommandError::none},
        Case{"STARTTLS now", Verb::starttls, CommandError::unexpected_arg},
        Case{"AUTH PLAIN AHVzZXIAcGFzcw==", Verb::auth, CommandError::none}, Case{"AUTH", Verb::auth, CommandError::syntax},
        Case{"BDAT 10", Verb::bdat, CommandError::none}, Case{"BDAT 0 LAST", Verb::bdat, CommandError::none},
        Case{"BDAT 18446744073709551615", Verb::bdat, CommandError::none},
        Case{"BDAT 18446744073709551616", Verb::bdat, CommandError::bdat_size},
        Case{"BDAT -1", Verb::bdat, CommandError::bdat_size}, Case{"BDAT 5 FIRST", Verb::bdat, CommandError::syntax},
        Case{"XYZZY", Verb::unknown, CommandError::unknown_verb}, Case{"", Verb::unknown, CommandError::unknown_verb},
        Case{"MAILFROM:<a@b>", Verb::unknown, CommandError::unknown_verb}));

}  // namespace

TEST(CommandParser, MailParametersAreRecorded) {
    const CommandParse p = parse_command("MAIL FROM:<a@b> size=42 BODY=8bitmime RET=hdrs ENVID=abc SMTPUTF8");
    ASSERT_EQ(p.error, CommandError::none);
    EXPECT_EQ(p.command.path.str(), "a@b");
    EXPECT_EQ(p.command.mail.size, 42u);
    EXPECT_EQ(p.command.mail.body, Body::eight_bit_mime);
    EXPECT_EQ(p.command.mail.ret, "HDRS");
    EXPECT_EQ(p.command.mail.envid, "abc");
    EXPECT_TRUE(p.command.mail.smtputf8);
    ASSERT_EQ(p.command.params.size(), 5u);
    EXPECT_EQ(p.command.params[0], (EsmtpParam{"SIZE", "42"}));
}

TEST(CommandParser, RcptDsnParameters) {
    const CommandParse p = parse_command("RCPT TO:<c@d> NOTIFY=failure,delay ORCPT=rfc822;c@d");
    ASSERT_EQ(p.error, CommandError::none);
    EXPECT_EQ(p.command.rcpt.notify, "FAILURE,DELAY");
    EXPECT_EQ(p.command.rcpt.orcpt, "rfc822;c@d");
}

TEST(CommandParser, BdatFields) {
    const CommandParse p = parse_command("BDAT 5 last");
    EXPECT_EQ(p.command.bdat_size, 5u);
    EXPECT_TRUE(p.command.bdat_last);
}

TEST(CommandParser, AuthArgumentKept) {
    EXPECT_EQ(parse_command("AUTH LOGIN").command.argument, "LOGIN");
    EXPECT_EQ(parse_command("EHLO  spaced").command.argument, " spaced");
}
