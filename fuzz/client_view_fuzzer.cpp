// scenario/client_view: a recorded connection made of fuzzer-chosen entries (client reads, server
// writes, TLS and close markers) read back the way the verdicts read it. Properties: no crash or
// hang, and every index the view hands out points inside it (lines, replies, bodies), in the
// wire order the view promises; no line or body holds more octets than the client sent.
// Input: repeated [kind byte][length byte][bytes]; kind % 7 picks the TraceEntry kind.
#include <cstdint>
#include <string>

#include "fuzz_input.hpp"
#include "scenario/client_view.hpp"

namespace {

using namespace exosim::scenario;

void check(bool ok) {
    if (!ok) __builtin_trap();
}

ConnectionTrace trace_of(exosim::fuzz::FuzzInput& in) {
    ConnectionTrace c;
    c.session_id = "fuzz";
    bool tls = false;
    for (int t = 0; !in.empty(); t += 5) {
        const auto kind = static_cast<TraceEntry::Kind>(in.byte() % 7);
        TraceEntry e{kind, std::chrono::milliseconds(t), {}, {}, tls};
        if (kind == TraceEntry::Kind::client_bytes || kind == TraceEntry::Kind::server_bytes) {
            e.bytes = std::string(in.take(in.byte()));
        } else if (kind == TraceEntry::Kind::tls_started) {
            e.detail = "TLSv1.3";
            tls = true;
        }
        c.entries.push_back(std::move(e));
    }
    return c;
}

std::size_t client_octets(const ConnectionTrace& c) {
    std::size_t n = 0;
    for (const TraceEntry& e : c.entries)
        if (e.kind == TraceEntry::Kind::client_bytes) n += e.bytes.size();
    return n;
}

void check_view(const ClientView& v, std::size_t octets) {
    std::size_t line_octets = 0;
    for (const ClientLine& l : v.lines) {
        line_octets += l.text.size() + l.ending.size();
        check(!l.reply || *l.reply < v.replies.size());
        check(!l.body || *l.body < v.bodies.size());
    }
    for (std::size_t i = 1; i < v.lines.size(); ++i) check(v.lines[i - 1].pos < v.lines[i].pos);
    for (const ServerReply& r : v.replies) {
        check(!r.answers || *r.answers < v.lines.size());
        check(!r.body || *r.body < v.bodies.size());
    }
    std::size_t body_octets = 0;
    for (const Body& b : v.bodies) {
        body_octets += b.raw.size();
        check(b.command < v.lines.size());
        check(!b.reply || *b.reply < v.replies.size());
        for (const BodySegment& s : b.segments) check(s.offset <= b.raw.size());
    }
    check(line_octets + body_octets <= octets);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    exosim::fuzz::FuzzInput in(data, size);
    const ConnectionTrace trace = trace_of(in);
    check_view(read_client_view(trace), client_octets(trace));
    return 0;
}
