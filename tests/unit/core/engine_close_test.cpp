// Closing is an explicit decision: the engine closes after Decision::close_with, whatever the
// reply's code, and never because a reply happens to be a 421.
#include <gtest/gtest.h>

#include "core/engine.hpp"
#include "core/rfc_replies.hpp"
#include "policy/rfc_policy.hpp"

namespace exosim::core {
namespace {

class MailPolicy : public policy::RfcPolicy {
public:
    explicit MailPolicy(Decision d) : RfcPolicy(policy::RfcPolicyConfig{}), decision_(std::move(d)) {}
    Decision on_mail(const SessionState&, const Path&, const MailParams&) override { return decision_; }

private:
    Decision decision_;
};

// The wire bytes of one batch, with "<close>" where the engine asked to close.
std::string run(Engine& engine) {
    std::string out;
    for (Action& a : engine.take_actions()) {
        if (auto* r = std::get_if<SendReply>(&a)) out += r->reply.render();
        if (std::holds_alternative<Close>(a)) out += "<close>";
    }
    return out;
}

std::string mail_answer(Decision d) {
    MailPolicy policy(std::move(d));
    Engine engine(policy, ConnectionInfo{"0011223344556677", "test", "", "", "", false});
    engine.start();
    run(engine);
    engine.feed("EHLO a\r\n");
    run(engine);
    engine.feed("MAIL FROM:<a@b>\r\n");
    return run(engine);
}

TEST(EngineClose, A421WithoutACloseDecisionDoesNotClose) {
    EXPECT_EQ(mail_answer(Decision::reject(Reply(421, EnhancedCode{4, 3, 2}, "later"))), "421 4.3.2 later\r\n");
}

TEST(EngineClose, CloseWithClosesWhateverTheCode) {
    EXPECT_EQ(mail_answer(Decision::close_with(Reply(421, EnhancedCode{4, 3, 2}, "bye"))), "421 4.3.2 bye\r\n<close>");
    EXPECT_EQ(mail_answer(Decision::close_with(Reply(554, EnhancedCode{5, 7, 1}, "no"))), "554 5.7.1 no\r\n<close>");
}

// Acts once `after` octets of content have arrived.
class MidDataPolicy : public policy::RfcPolicy {
public:
    MidDataPolicy(std::uint64_t after, Decision d)
        : RfcPolicy(policy::RfcPolicyConfig{}), after_(after), decision_(std::move(d)) {}
    Decision on_message_data(const SessionState&, std::uint64_t received) override {
        seen.push_back(received);
        return received >= after_ ? decision_ : Decision::ok();
    }
    std::vector<std::uint64_t> seen;

private:
    std::uint64_t after_;
    Decision decision_;
};

TEST(EngineMidData, ThePolicySeesTheContentAsItArrivesAndCanEndTheSession) {
    MidDataPolicy policy(6, Decision::close_with(Reply(451, EnhancedCode{4, 3, 0}, "stop")));
    Engine engine(policy, ConnectionInfo{"0011223344556677", "test", "", "", "", false});
    engine.start();
    engine.feed("EHLO a\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n");
    run(engine);
    engine.feed("abc\r\n");
    EXPECT_EQ(run(engine), "");  // 5 octets: carry on
    engine.feed("defgh\r\n.\r\nQUIT\r\n");
    EXPECT_EQ(run(engine), "451 4.3.0 stop\r\n<close>");  // never the 250 for the dot
    EXPECT_EQ(policy.seen, (std::vector<std::uint64_t>{5, 12}));
    EXPECT_TRUE(engine.closed());
}

TEST(EngineMidData, OkLetsTheMessageThrough) {
    MidDataPolicy policy(1'000'000, Decision::close_with(Reply(451, "never")));
    Engine engine(policy, ConnectionInfo{"0011223344556677", "test", "", "", "", false});
    engine.start();
    engine.feed("EHLO a\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\nabc\r\n.\r\n");
    bool stored = false;
    for (Action& a : engine.take_actions()) stored = stored || std::holds_alternative<StoreMessage>(a);
    EXPECT_TRUE(stored);
    EXPECT_EQ(policy.seen, (std::vector<std::uint64_t>{5}));
}

TEST(EngineClose, TheConnectionLimitReplyComesFromTheCatalogue) {
    EXPECT_EQ(rfc_replies::too_many_connections().render(), "421 4.7.0 Too many connections, try again later\r\n");
}

}  // namespace
}  // namespace exosim::core
