// Session events -> the verdict engine's trace: read boundaries, times, TLS and close markers.
#include "harness/trace_builder.hpp"

#include <gtest/gtest.h>

namespace exosim::harness {
namespace {

using namespace std::chrono_literals;
using Kind = scenario::TraceEntry::Kind;
using transport::Direction;
using transport::TimedEvent;
using transport::TransportNote;
using transport::WireChunk;
namespace note = transport::note;

TEST(TraceBuilder, WireChunksKeepBoundariesTimesAndTls) {
    TraceBuilder b("0123456789ABCDEF", "submission");
    b.add({5ms, WireChunk{Direction::out, "220 ready\r\n", false}});
    b.add({12ms, WireChunk{Direction::in, "EHLO a\r\nMAIL", false}});
    b.add({13ms, WireChunk{Direction::in, " FROM:<a@b>\r\n", false}});
    b.add({14ms, core::Event{core::PhaseChanged{}}});  // engine events are not evidence
    b.add({20ms, TransportNote{note::TlsEstablished{"TLSv1.3", "TLS_AES_256_GCM_SHA384", ""}}});
    b.add({21ms, WireChunk{Direction::in, "EHLO a\r\n", true}});
    b.add({22ms, WireChunk{Direction::in, "", true}});  // nothing read: no entry
    const auto& t = b.trace();
    EXPECT_EQ(t.session_id, "0123456789ABCDEF");
    EXPECT_EQ(t.listener, "submission");
    ASSERT_EQ(t.entries.size(), 5u);
    EXPECT_EQ(t.entries[0].kind, Kind::server_bytes);
    EXPECT_EQ(t.entries[0].bytes, "220 ready\r\n");
    EXPECT_EQ(t.entries[0].t, 5ms);
    EXPECT_EQ(t.entries[1].kind, Kind::client_bytes);
    EXPECT_EQ(t.entries[1].bytes, "EHLO a\r\nMAIL");
    EXPECT_EQ(t.entries[2].bytes, " FROM:<a@b>\r\n");
    EXPECT_EQ(t.entries[3].kind, Kind::tls_started);
    EXPECT_EQ(t.entries[3].detail, "TLSv1.3");
    EXPECT_EQ(t.entries[4].kind, Kind::client_bytes);
    EXPECT_TRUE(t.entries[4].tls);
    EXPECT_FALSE(t.entries[1].tls);
}

TEST(TraceBuilder, EofIsTheClientClosingAndEndAddsNothingMore) {
    TraceBuilder b("1", "mx");
    b.add({3ms, WireChunk{Direction::in, "QUIT\r\n", false}});
    b.add({9ms, TransportNote{note::PeerClosed{}}});
    b.end(50ms);
    b.end(60ms);
    ASSERT_EQ(b.trace().entries.size(), 2u);
    EXPECT_EQ(b.trace().entries[1].kind, Kind::client_closed);
    EXPECT_EQ(b.trace().entries[1].t, 9ms);
    EXPECT_TRUE(b.ended());
}

TEST(TraceBuilder, EndWithoutACloseNoteIsTheServerClosing) {
    TraceBuilder b("1", "mx");
    b.add({3ms, WireChunk{Direction::out, "221 bye\r\n", false}});
    b.end(2ms);  // the end time comes from the system clock: never before the last entry
    ASSERT_EQ(b.trace().entries.size(), 2u);
    EXPECT_EQ(b.trace().entries[1].kind, Kind::server_closed);
    EXPECT_EQ(b.trace().entries[1].t, 3ms);
    b.add({4ms, WireChunk{Direction::in, "late", false}});  // after the end: ignored
    EXPECT_EQ(b.trace().entries.size(), 2u);
}

TEST(TraceBuilder, HandshakeFailureAndTimeouts) {
    TraceBuilder b("1", "implicit");
    b.add({1ms, TransportNote{note::TlsFailed{"tlsv1 alert unknown ca"}}});
    b.end(5ms);
    ASSERT_EQ(b.trace().entries.size(), 2u);
    EXPECT_EQ(b.trace().entries[0].kind, Kind::tls_failed);
    EXPECT_EQ(b.trace().entries[0].detail, "tlsv1 alert unknown ca");
    EXPECT_EQ(b.trace().entries[1].kind, Kind::server_closed);

    TraceBuilder h("2", "implicit");
    h.add({2000ms, TransportNote{note::Timeout{transport::Deadline::tls_handshake}}});
    ASSERT_EQ(h.trace().entries.size(), 2u);
    EXPECT_EQ(h.trace().entries[0].kind, Kind::tls_failed);
    EXPECT_EQ(h.trace().entries[1].kind, Kind::timeout);

    TraceBuilder s("3", "mx");
    s.add({1ms, TransportNote{note::Stalled{}}});
    s.add({7ms, TransportNote{note::PeerClosed{true}}});
    ASSERT_EQ(s.trace().entries.size(), 1u);
    EXPECT_EQ(s.trace().entries[0].kind, Kind::client_closed);
}

TEST(TraceBuilder, ServerSideClosesFromTheTransport) {
    TraceBuilder b("1", "mx");
    b.add({1ms, TransportNote{note::ServerEnded{transport::ServerEnd::shutdown}}});
    b.add({2ms, TransportNote{note::PeerClosed{}}});  // only the first close counts
    ASSERT_EQ(b.trace().entries.size(), 1u);
    EXPECT_EQ(b.trace().entries[0].kind, Kind::server_closed);
}

TEST(TraceBuilder, VerdictFactsComeFromTypedFieldsNotWording) {
    // A client-certificate failure changes the note's text but not the version the verdicts judge.
    TraceBuilder b("1", "submission");
    b.add({1ms, TransportNote{note::TlsEstablished{"TLSv1.2", "ECDHE-RSA-AES256-GCM-SHA384", "unable to get local issuer certificate"}}});
    b.add({2ms, TransportNote{note::WriteFailed{"Broken pipe"}}});
    b.add({3ms, TransportNote{note::StoreFailed{transport::StoreFailure::write_failed, "No space left on device"}}});  // not a close
    ASSERT_EQ(b.trace().entries.size(), 2u);
    EXPECT_EQ(b.trace().entries[0].kind, Kind::tls_started);
    EXPECT_EQ(b.trace().entries[0].detail, "TLSv1.2");
    EXPECT_EQ(b.trace().entries[1].kind, Kind::client_closed);
    EXPECT_EQ(b.trace().entries[1].detail, "write: Broken pipe");
}

TEST(TransportNote, EdgeRenderingKeepsTheTranscriptWording) {
    const TransportNote tls{note::TlsEstablished{"TLSv1.2", "AES", "self-signed certificate"}};
    EXPECT_EQ(transport::note_kind(tls), "tls-handshake");
    EXPECT_EQ(transport::note_detail(tls), "TLSv1.2 AES; client certificate: self-signed certificate");
    EXPECT_EQ(transport::note_detail(TransportNote{note::TlsEstablished{"TLSv1.3", "X", ""}}), "TLSv1.3 X");
    const TransportNote hs{note::Timeout{transport::Deadline::tls_handshake}};
    EXPECT_EQ(transport::note_kind(hs), "timeout");
    EXPECT_EQ(transport::note_detail(hs), "TLS handshake");
    const TransportNote limit{note::ServerEnded{transport::ServerEnd::connection_limit}};
    EXPECT_EQ(transport::note_kind(limit), "connection-limit");
    EXPECT_EQ(transport::note_detail(limit), "over the listener or per-client connection limit");
    EXPECT_EQ(transport::note_kind(TransportNote{note::StoreFailed{transport::StoreFailure::write_failed, "disk full"}}), "store-failed");
    EXPECT_EQ(transport::close_reason_name(transport::CloseReason::tls_timeout), "tls-timeout");
    EXPECT_EQ(transport::close_reason_name(transport::CloseReason::connection_limit), "connection-limit");
}

}  // namespace
}  // namespace exosim::harness
