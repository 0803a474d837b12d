#include "scenario/transcript_text.hpp"

#include <algorithm>
#include <cstdio>

namespace exosim::scenario {

namespace {

using Dir = TranscriptLine::Dir;

struct Item {
    WirePos pos;
    std::size_t seq;  // tie-break: creation order
    std::size_t io;   // client read / server write number; 0 for events
    TranscriptLine line;
};

std::string without_crlf(std::string_view raw) {
    if (raw.ends_with("\r\n")) return visible(raw.substr(0, raw.size() - 2));
    return visible(raw);  // a bare LF or no ending shows up as "\n" / nothing
}

std::string marker_text(const Marker& m) {
    switch (m.kind) {
    case TraceEntry::Kind::tls_started: return "-- TLS started " + visible(m.detail) + " --";
    case TraceEntry::Kind::tls_failed: return "-- TLS handshake failed: " + visible(m.detail) + " --";
    case TraceEntry::Kind::client_closed: return "-- client closed the connection --";
    case TraceEntry::Kind::server_closed: return "-- server closed the connection --";
    case TraceEntry::Kind::timeout: return "-- server timeout --";
    case TraceEntry::Kind::client_hello: return "-- ClientHello: " + visible(m.detail) + " --";
    default: return "-- " + visible(m.detail) + " --";
    }
}

class Collector {
public:
    void add(WirePos pos, TranscriptLine line, std::size_t io = 0) {
        items_.push_back({pos, items_.size(), io, std::move(line)});
    }
    void add_reply(const ServerReply& r);
    void add_body(const Body& b);
    std::vector<TranscriptLine> sorted();

private:
    std::vector<Item> items_;
};

void Collector::add_reply(const ServerReply& r) {
    std::size_t start = 0;
    for (std::size_t i = 0; start < r.raw.size(); ++i) {
        std::size_t lf = r.raw.find('\n', start);
        const std::size_t end = lf == std::string::npos ? r.raw.size() : lf + 1;
        std::string text = without_crlf(std::string_view(r.raw).substr(start, end - start));
        if (lf == std::string::npos) text += "  [no line end]";
        const std::size_t write = i < r.line_writes.size() ? r.line_writes[i] : 0;
        add({r.pos.entry, r.pos.offset + start}, {Dir::server, r.t, r.tls, false, std::move(text)}, write);
        start = end;
    }
}

void Collector::add_body(const Body& b) {
    std::vector<std::pair<std::size_t, std::size_t>> spans;  // [start, end) of each line
    for (std::size_t start = 0; start < b.raw.size();) {
        const std::size_t lf = b.raw.find('\n', start);
        const std::size_t end = lf == std::string::npos ? b.raw.size() : lf + 1;
        spans.emplace_back(start, end);
        start = end;
    }
    const std::size_t n = spans.size();
    for (std::size_t i = 0; i < n; ++i) {
        const bool head = i < transcript_body_lines, tail = i + 2 >= n;
        if (!head && !tail) {
            if (i == transcript_body_lines) {
                const std::size_t octets = spans[n - 2].first - spans[i].first;
                auto s = std::find_if(b.segments.rbegin(), b.segments.rend(),
                                      [&](const BodySegment& g) { return g.offset <= spans[i].first; });
                add({s->pos.entry, s->pos.offset + (spans[i].first - s->offset)},
                    {Dir::event, s->t, b.tls, false,
                     "-- " + std::to_string(n - 2 - i) + " body lines (" + std::to_string(octets) + " octets) not shown --"});
            }
            continue;
        }
        // Not a structured binding: clang 14 cannot capture those in the lambda below.
        const auto start = spans[i].first;
        const auto end = spans[i].second;
        auto s = std::find_if(b.segments.rbegin(), b.segments.rend(),
                              [&](const BodySegment& g) { return g.offset <= start; });
        TranscriptLine line{Dir::client, s->t, b.tls, false, without_crlf(std::string_view(b.raw).substr(start, end - start))};
        add({s->pos.entry, s->pos.offset + (start - s->offset)}, std::move(line), s->read);
    }
}

// Orders by wire position, then marks lines that share a read (or write) with the line before.
std::vector<TranscriptLine> Collector::sorted() {
    std::sort(items_.begin(), items_.end(), [](const Item& a, const Item& b) {
        return a.pos != b.pos ? a.pos < b.pos : a.seq < b.seq;
    });
    std::vector<TranscriptLine> out;
    std::size_t last_read = 0, last_write = 0;
    for (Item& it : items_) {
        TranscriptLine& l = it.line;
        if (l.dir != Dir::event) {
            std::size_t& last = l.dir == Dir::client ? last_read : last_write;
            l.same_read = it.io != 0 && it.io == last;
            last = it.io;
        }
        out.push_back(std::move(l));
    }
    return out;
}

}  // namespace

std::string visible(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    for (unsigned char ch : bytes) {
        if (ch == '\r') out += "\\r";
        else if (ch == '\n') out += "\\n";
        else if (ch == '\\') out += "\\\\";
        else if (ch < 0x20 || ch >= 0x7f) {
            char buf[5];
            std::snprintf(buf, sizeof buf, "\\x%02x", ch);
            out += buf;
        } else {
            out += static_cast<char>(ch);
        }
    }
    return out;
}

std::string display_line(const ClientLine& line) {
    std::string text = line.text;
    if (line.kind == ClientLine::Kind::auth_response && text != "*") {
        text = "<SASL response, " + std::to_string(text.size()) + " octets>";
    } else if (line.verb == core::Verb::auth) {
        // "AUTH PLAIN <initial response>": keep the mechanism, hide the secret.
        const std::size_t mech = text.find(' ');
        const std::size_t ir = mech == std::string::npos ? mech : text.find(' ', mech + 1);
        if (ir != std::string::npos)
            text = text.substr(0, ir) + " <initial response, " + std::to_string(text.size() - ir - 1) + " octets>";
    }
    std::string out = visible(text);
    if (line.ending == "\n") out += "\\n";
    if (line.ending.empty()) out += "  [no line end]";
    return out;
}

ConnectionTranscript build_transcript(const ConnectionTrace& trace, const ClientView& view) {
    Collector c;
    for (const ClientLine& l : view.lines) {
        c.add(l.pos, {Dir::client, l.t, l.tls, false, display_line(l)}, l.read);
    }
    for (const ServerReply& r : view.replies) c.add_reply(r);
    for (const Body& b : view.bodies)
        if (!b.raw.empty()) c.add_body(b);
    for (const Marker& m : view.markers) c.add(m.pos, {Dir::event, m.t, m.tls, false, marker_text(m)});
    if (const auto& h = view.plaintext_tls)  // TLS records are not lines: one summary line
        c.add(h->pos, {Dir::client, h->t, false, false, "<TLS handshake records (ClientHello), " + std::to_string(h->octets) + " octets, in plaintext>"}, h->read);
    return {trace.session_id, trace.listener, c.sorted()};
}

std::string transcript_text(const ConnectionTranscript& t) {
    std::string out;
    for (const TranscriptLine& l : t.lines) {
        char time[32];
        std::snprintf(time, sizeof time, "%8.3fs ", static_cast<double>(l.t.count()) / 1000.0);
        out += time;
        out += l.tls ? "[tls] " : "      ";
        if (l.dir == Dir::event) out += l.text;
        else out += (l.same_read ? ".. " : (l.dir == Dir::client ? "C: " : "S: ")) + l.text;
        out += '\n';
    }
    return out;
}

}  // namespace exosim::scenario
