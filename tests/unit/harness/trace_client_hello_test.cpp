// --evidence: the transport's "client-hello" note becomes one transcript line in the report.
#include <gtest/gtest.h>

#include "harness/trace_builder.hpp"

namespace exosim::harness {
namespace {

using namespace std::chrono_literals;
using Kind = scenario::TraceEntry::Kind;
using transport::TransportNote;
namespace note = transport::note;

TEST(TraceClientHello, NoteBecomesASummaryLine) {
    TraceBuilder b("0123456789ABCDEF", "submission");
    b.add({3ms, TransportNote{note::ClientHello{
                              R"({"versions":["TLSv1.3","TLSv1.2"],"ciphers":["TLS_AES_256_GCM_SHA384","0x00ff"],)"
                              R"("extensions":[0,43],"sni":"smtp.office365.com","alpn":[],"ja3":"abc","ja4":"t13d_x_y"})"}}});
    b.add({4ms, TransportNote{note::ClientHello{"not json"}}});
    const auto& t = b.trace();
    ASSERT_EQ(t.entries.size(), 2u);
    EXPECT_EQ(t.entries[0].kind, Kind::client_hello);
    EXPECT_EQ(t.entries[0].detail,
              "versions TLSv1.3 TLSv1.2; suites TLS_AES_256_GCM_SHA384 0x00ff; SNI smtp.office365.com; ALPN -; "
              "JA3 abc; JA4 t13d_x_y");
    EXPECT_EQ(t.entries[1].detail, "not json");  // shown as sent rather than lost
}

}  // namespace
}  // namespace exosim::harness
