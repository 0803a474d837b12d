// ReplyScript on synthetic engine output: step attribution from events and each rewrite.
#include "scenario/reply_script.hpp"

#include "core/overloaded.hpp"

#include <gtest/gtest.h>

namespace exosim::scenario {
namespace {

using core::Action;
using core::Event;
using core::Reply;

Event cmd(core::Verb v) { return core::CommandReceived{v, std::string(core::verb_name(v))}; }
Event produced(const Reply& r) { return core::ReplyProduced{r}; }

std::string describe(const std::vector<Action>& actions) {
    std::string out;
    for (const auto& a : actions) {
        if (!out.empty()) out += " + ";
        out += std::visit(core::Overloaded{
                              [](const core::SendReply& r) { return "reply(" + r.reply.render() + ")"; },
                              [](const core::SendRaw& raw) { return "raw(" + raw.bytes + ")"; },
                              [](const core::Pause& p) { return "pause(" + std::to_string(p.duration.count()) + ")"; },
                              [](const core::StartTls&) { return std::string("starttls"); },
                              [](const core::StoreMessage&) { return std::string("store"); },
                              [](const core::Close& c) {
                                  return std::string(c.how == core::CloseHow::reset        ? "reset"
                                                     : c.how == core::CloseHow::half_close ? "half-close"
                                                                                           : "close");
                              },
                              [](const core::Stall&) { return std::string("stall"); },
                              [](const core::SendTlsAlert&) { return std::string("tls-alert"); },
                          },
                          a);
    }
    return out;
}

class ReplyScriptTest : public ::testing::Test {
protected:
    void pending(std::optional<Step> step, std::optional<scenario::Action> a, std::optional<Reply> reply = std::nullopt) {
        session_->pending.push_back({step, std::move(reply), std::move(a)});
    }
    std::string rewrite(const std::vector<Event>& events, std::vector<core::Action> actions) {
        return describe(script_.rewrite(events, std::move(actions)));
    }
    std::shared_ptr<ScriptSession> session_ = std::make_shared<ScriptSession>();
    ReplyScript script_{session_};
    const Reply ok_{250, "OK"};
};

TEST_F(ReplyScriptTest, GreetingIsTheReplyBeforeAnyCommand) {
    scenario::Action a;
    a.reply.raw = "220\r\n";
    pending(Step::greeting, a);
    const Reply hello(220, "hi");
    EXPECT_EQ(rewrite({produced(hello)}, {core::SendReply{hello}}), "raw(220\r\n)");
    EXPECT_TRUE(session_->pending.empty());
}

TEST_F(ReplyScriptTest, AppendRawLeavesInOneWriteBeforeStartTls) {
    scenario::Action a;
    a.reply.append_raw = "250 AUTH PLAIN\r\n";
    pending(Step::starttls, a);
    const Reply r(220, "go");
    EXPECT_EQ(rewrite({cmd(core::Verb::starttls), produced(r), core::TlsRequested{}}, {core::SendReply{r}, core::StartTls{}}),
              "raw(220 go\r\n250 AUTH PLAIN\r\n) + starttls");
}

TEST_F(ReplyScriptTest, SplitDelayAndClose) {
    scenario::Action a;
    a.reply.split_at = {2, 5, 100};
    a.reply.delay = std::chrono::milliseconds(30);
    a.effect = scenario::effect::Close{};
    pending(Step::mail, a);
    EXPECT_EQ(rewrite({cmd(core::Verb::mail), produced(ok_), cmd(core::Verb::rcpt), produced(ok_)},
                      {core::SendReply{ok_}, core::SendReply{ok_}}),
              "pause(30) + raw(25) + pause(20) + raw(0 O) + pause(20) + raw(K\r\n) + close");
    EXPECT_TRUE(script_.closed());
    EXPECT_EQ(rewrite({cmd(core::Verb::quit), produced(ok_)}, {core::SendReply{ok_}}), "");
}

TEST_F(ReplyScriptTest, SplitEvery) {
    scenario::Action a;
    a.reply.split_every = 3;
    pending(Step::noop, a);
    EXPECT_EQ(rewrite({cmd(core::Verb::noop), produced(ok_)}, {core::SendReply{ok_}}),
              "raw(250) + pause(20) + raw( OK) + pause(20) + raw(\r\n)");
}

TEST_F(ReplyScriptTest, StallDropsEverythingButStoreAndClose) {
    scenario::Action a;
    a.effect = scenario::effect::Stall{};
    pending(Step::data, a);
    EXPECT_EQ(rewrite({cmd(core::Verb::data), produced(ok_)}, {core::SendReply{ok_}, core::SendRaw{"x"}}), "stall");
    EXPECT_EQ(rewrite({}, {core::StoreMessage{}, core::SendReply{ok_}, core::Close{}}), "store + close");
}

// fuzz-client connection events: RST and half-close after (or instead of) the reply.
TEST_F(ReplyScriptTest, ResetAndHalfCloseEndTheConnection) {
    scenario::Action reset;
    reset.reply.dropped = true;
    reset.effect = scenario::effect::Reset{};
    pending(Step::mail, reset);
    EXPECT_EQ(rewrite({cmd(core::Verb::mail), produced(ok_)}, {core::SendReply{ok_}}), "reset");
    EXPECT_TRUE(script_.closed());
    ReplyScript second{session_};
    scenario::Action half;
    half.effect = scenario::effect::HalfClose{};
    pending(Step::rcpt, half);
    EXPECT_EQ(describe(second.rewrite({cmd(core::Verb::rcpt), produced(ok_)}, {core::SendReply{ok_}, core::SendReply{ok_}})),
              "reply(250 OK\r\n) + half-close");
    EXPECT_TRUE(second.closed());
}

TEST_F(ReplyScriptTest, EndOfDataReplyComesInALaterBatch) {
    scenario::Action a;
    a.reply.dropped = true;
    a.effect = scenario::effect::Close{};
    pending(Step::end_of_data, a);
    EXPECT_EQ(rewrite({core::MessageReceived{10, 1}}, {core::StoreMessage{}}), "store");
    EXPECT_EQ(rewrite({produced(ok_)}, {core::SendReply{ok_}}), "close");
}

TEST_F(ReplyScriptTest, ScriptedReplyMustMatchExactly) {
    scenario::Action a;
    a.reply.append_raw = "!";
    pending(Step::rcpt, a, Reply(250, "fine"));
    const Reply error(501, "bad");
    const Reply fine(250, "fine");
    EXPECT_EQ(rewrite({cmd(core::Verb::rcpt), produced(error), cmd(core::Verb::rcpt), produced(fine)},
                      {core::SendReply{error}, core::SendReply{fine}}),
              "reply(501 bad\r\n) + raw(250 fine\r\n!)");
}

TEST_F(ReplyScriptTest, StaleEntriesAheadOfAMatchAreDropped) {
    scenario::Action a;
    a.effect = scenario::effect::Close{};
    scenario::Action b;
    b.reply.raw = "x\r\n";
    pending(Step::mail, a);
    pending(Step::rcpt, b);
    EXPECT_EQ(rewrite({cmd(core::Verb::rcpt), produced(ok_)}, {core::SendReply{ok_}}), "raw(x\r\n)");
    EXPECT_TRUE(session_->pending.empty());
}

// Pipelined RCPTs: the rule matched for the second one is not applied to the first.
TEST_F(ReplyScriptTest, OccurrencesPairInOrder) {
    scenario::Action a;
    a.reply.raw = "250 second\r\n";
    pending(Step::rcpt, std::nullopt);
    pending(Step::rcpt, a);
    EXPECT_EQ(rewrite({cmd(core::Verb::rcpt), produced(ok_), cmd(core::Verb::rcpt), produced(ok_)},
                      {core::SendReply{ok_}, core::SendReply{ok_}}),
              "reply(250 OK\r\n) + raw(250 second\r\n)");
}

// An engine error reply pairs with its protocol-error record, not with the step's rule.
TEST_F(ReplyScriptTest, ProtocolErrorsPairWithTheirRecord) {
    scenario::Action a;
    a.reply.append_raw = "!";
    const Reply error(501, "bad");
    pending(std::nullopt, std::nullopt, error);
    pending(Step::rcpt, a);
    EXPECT_EQ(rewrite({cmd(core::Verb::rcpt), produced(error), cmd(core::Verb::rcpt), produced(ok_)},
                      {core::SendReply{error}, core::SendReply{ok_}}),
              "reply(501 bad\r\n) + raw(250 OK\r\n!)");
}

TEST_F(ReplyScriptTest, UnscriptableCommandsAreLeftAlone) {
    scenario::Action a;
    a.reply.raw = "x\r\n";
    pending(Step::any, a);
    EXPECT_EQ(rewrite({cmd(core::Verb::vrfy), produced(ok_)}, {core::SendReply{ok_}}), "reply(250 OK\r\n)");
}

}  // namespace
}  // namespace exosim::scenario
