#include "control/metrics.hpp"

#include <gtest/gtest.h>

#include "control/event_hub.hpp"
#include "control/session_log.hpp"

namespace exosim::control {
namespace {

using namespace std::chrono_literals;

transport::SessionRecord record(const std::string& id, const std::string& listener) {
    transport::SessionRecord r;
    r.id = id;
    r.listener = listener;
    return r;
}

bool has_line(const std::string& text, const std::string& line) {
    return text.find("\n" + line + "\n") != std::string::npos;
}

TEST(Metrics, CountsSessionsRepliesAuthTlsAndBytes) {
    Metrics m;
    auto a = record("A", "submission");
    auto b = record("B", "mx");
    m.on_session_started(a);
    m.on_session_started(b);
    m.on_session_event(a, {1ms, transport::WireChunk{transport::Direction::in, "EHLO x\r\n", false}});
    m.on_session_event(a, {2ms, core::Event{core::ReplyProduced{core::Reply(250, "ok")}}});
    m.on_session_event(a, {3ms, core::Event{core::ReplyProduced{core::Reply(535, "no")}}});
    m.on_session_event(a, {3ms, core::Event{core::AuthResult{"LOGIN", "x", false}}});
    a.tls_version = "TLSv1.3";
    m.on_session_event(a, {4ms, transport::TransportNote{transport::note::TlsEstablished{}}});
    a.message_ids.push_back("m1");
    m.on_session_event(a, {5ms, core::Event{core::ReplyProduced{core::Reply(250, "queued")}}});
    m.on_session_ended(a);
    const std::string text = m.render();
    EXPECT_TRUE(has_line(text, R"(exosim_sessions_total{listener="submission"} 1)")) << text;
    EXPECT_TRUE(has_line(text, R"(exosim_sessions_active{listener="submission"} 0)"));
    EXPECT_TRUE(has_line(text, R"(exosim_sessions_active{listener="mx"} 1)"));
    EXPECT_TRUE(has_line(text, R"(exosim_replies_total{class="2xx"} 2)"));
    EXPECT_TRUE(has_line(text, R"(exosim_replies_total{class="5xx"} 1)"));
    EXPECT_TRUE(has_line(text, R"(exosim_auth_failures_total{mechanism="LOGIN"} 1)"));
    EXPECT_TRUE(has_line(text, R"(exosim_tls_handshakes_total{version="TLSv1.3"} 1)"));
    EXPECT_TRUE(has_line(text, R"(exosim_messages_accepted_total{listener="submission"} 1)"));
    EXPECT_TRUE(has_line(text, R"(exosim_bytes_total{direction="in"} 8)"));
}

TEST(EventQueue, DropsWhenFullAndReportsTheCount) {
    int wakes = 0;
    EventQueue q(2, false, [&] { ++wakes; });
    for (int i = 0; i < 5; ++i) q.push(std::make_shared<const std::string>(std::to_string(i)));
    EXPECT_EQ(wakes, 1);  // one wake per batch
    auto batch = q.take();
    ASSERT_EQ(batch.size(), 3u);
    EXPECT_EQ(*batch[0], R"({"type":"dropped","count":3})");
    EXPECT_EQ(*batch[1], "0");
    EXPECT_EQ(q.dropped_total(), 3u);
    EXPECT_TRUE(q.take().empty());
}

TEST(EventHub, FiltersWireEventsAndCountsDrops) {
    Metrics m;
    EventHub hub(&m);
    auto plain = std::make_shared<EventQueue>(1, false, nullptr);
    auto wire = std::make_shared<EventQueue>(8, true, nullptr);
    hub.add(plain);
    hub.add(wire);
    auto r = record("A", "submission");
    hub.on_session_started(r);
    hub.on_session_event(r, {1ms, transport::WireChunk{transport::Direction::in, "\xff\r\n", false}});
    hub.on_session_event(r, {2ms, core::Event{core::CommandReceived{core::Verb::quit, "QUIT"}}});
    EXPECT_EQ(plain->take().size(), 2u);  // dropped notice + session_started; the command was dropped
    auto w = wire->take();
    ASSERT_EQ(w.size(), 3u);
    EXPECT_NE(w[1]->find(R"("b64":"/w0K")"), std::string::npos) << *w[1];
    EXPECT_NE(w[2]->find(R"("type":"command")"), std::string::npos);
    EXPECT_TRUE(has_line(m.render(), "exosim_events_dropped_total 1"));
    hub.remove(plain);
    EXPECT_EQ(hub.subscribers(), 1u);
    EXPECT_TRUE(hub.wants_wire());
    hub.remove(wire);
    EXPECT_FALSE(hub.wants_wire());
}

}  // namespace
}  // namespace exosim::control

namespace exosim::control {
namespace {

TEST(SessionLog, KeepsBoundedTranscripts) {
    SessionLog log(true, /*max_sessions=*/2, /*max_records=*/3);
    for (const char* id : {"A", "B", "C"}) {
        transport::SessionRecord r;
        r.id = id;
        log.on_session_started(r);
        for (int i = 0; i < 5; ++i)
            log.on_session_event(r, {std::chrono::milliseconds(i), transport::WireChunk{transport::Direction::in, "x", false}});
        r.ended = r.started;
        r.close_reason = transport::CloseReason::closed;
        log.on_session_ended(r);
    }
    EXPECT_FALSE(log.transcript("A"));  // the oldest went first
    auto c = log.transcript("C");
    ASSERT_TRUE(c);
    ASSERT_EQ(c->size(), 4u);  // 3 kept records + the close record
    EXPECT_EQ(c->back().at("records_dropped"), 3);
}

// A huge message must not make the in-memory transcript huge: wire data past the budget is cut
// and counted, other records are still kept.
TEST(SessionLog, CutsWireDataPastTheByteBudget) {
    SessionLog log(true, /*max_sessions=*/2, /*max_records=*/100, /*max_wire_bytes=*/10);
    transport::SessionRecord r;
    r.id = "A";
    log.on_session_started(r);
    auto wire = [&](std::string bytes) {
        log.on_session_event(r, {std::chrono::milliseconds(1), transport::WireChunk{transport::Direction::in, std::move(bytes), false}});
    };
    wire("1234");
    wire("56789abcdef");  // 6 of these fit
    wire("more");
    log.on_session_event(r, {std::chrono::milliseconds(2), transport::TransportNote{transport::note::Timeout{transport::Deadline::data}}});
    r.ended = r.started;
    r.close_reason = transport::CloseReason::timeout;
    log.on_session_ended(r);
    auto t = log.transcript("A");
    ASSERT_TRUE(t);
    ASSERT_EQ(t->size(), 5u);  // session, 2 wire records, the note, close
    EXPECT_EQ(t->at(1).at("bytes"), "1234");
    EXPECT_EQ(t->at(2).at("bytes"), "56789a");
    EXPECT_EQ(t->at(3).at("type"), "transport");  // the note
    EXPECT_EQ(t->back().at("wire_bytes_dropped"), 9);
}

TEST(SessionLog, ResetHidesEndedSessions) {
    SessionLog log(false);
    transport::SessionRecord ended;
    ended.ended = std::chrono::system_clock::now() - std::chrono::seconds(1);
    transport::SessionRecord active;
    EXPECT_FALSE(log.hidden(ended));
    log.reset();
    EXPECT_TRUE(log.hidden(ended));
    EXPECT_FALSE(log.hidden(active));
}

}  // namespace
}  // namespace exosim::control
