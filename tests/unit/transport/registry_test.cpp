#include "transport/registry.hpp"

#include <gtest/gtest.h>

namespace exosim::transport {
namespace {

SessionRecord record(std::string id, bool ended) {
    SessionRecord r;
    r.id = std::move(id);
    if (ended) r.ended = std::chrono::system_clock::now();
    return r;
}

TEST(SessionRegistry, KeepsActiveAndTheMostRecentEnded) {
    SessionRegistry reg(2);
    reg.started(record("A", false));
    for (std::string id : {"1", "2", "3"}) reg.ended(record(id, true));
    auto recent = reg.recent();
    ASSERT_EQ(recent.size(), 3u);
    EXPECT_EQ(recent[0].id, "3");
    EXPECT_EQ(recent[1].id, "2");
    EXPECT_EQ(recent[2].id, "A");
    EXPECT_FALSE(reg.find("1"));
    EXPECT_EQ(reg.active_count(), 1u);
    reg.ended(record("A", true));
    EXPECT_EQ(reg.active_count(), 0u);
    EXPECT_EQ(reg.recent().size(), 2u);
}

TEST(SessionRegistry, ObserversSeeStartEventsAndEnd) {
    struct Counter : SessionObserver {
        int started = 0, events = 0, ended = 0;
        void on_session_started(const SessionRecord&) override { ++started; }
        void on_session_event(const SessionRecord&, const TimedEvent&) override { ++events; }
        void on_session_ended(const SessionRecord&) override { ++ended; }
    };
    SessionRegistry reg;
    auto counter = std::make_shared<Counter>();
    auto id = reg.subscribe(counter);
    EXPECT_TRUE(reg.has_observers());
    reg.started(record("A", false));
    reg.event(record("A", false), TimedEvent{{}, TransportNote{note::PeerClosed{}}});
    reg.ended(record("A", true));
    reg.unsubscribe(id);
    reg.started(record("B", false));
    EXPECT_EQ(counter->started, 1);
    EXPECT_EQ(counter->events, 1);
    EXPECT_EQ(counter->ended, 1);
}

}  // namespace
}  // namespace exosim::transport
