// What the client put on the wire as message data: dot-stuffing, line endings, line lengths and
// the end-of-data marker (SMTP smuggling lives here, CC-23/CC-24).
#include <algorithm>
#include <array>
#include <cstdint>

#include "scenario/message_text.hpp"
#include "scenario/transcript_text.hpp"
#include "scenario/verdict_rules.hpp"

namespace exosim::scenario::rules {

namespace {

// RFC 5321 4.5.3.1.4 command line, 4.5.3.1.6 text line (both include CRLF); RFC 4954 4: AUTH
// lines may be up to 12288 octets.
inline constexpr std::size_t max_command_line = 512;
inline constexpr std::size_t max_text_line = 1000;
inline constexpr std::size_t max_auth_line = 12288;

struct BodyLine {
    std::string_view text;  // with its ending
    Millis t;
};

// Lines of a body with the time of the read they arrived in; the terminator line excluded.
std::vector<BodyLine> lines_of(const Body& b) {
    std::vector<BodyLine> out;
    std::size_t offset = 0;
    std::string_view raw = b.raw;
    if (b.kind == Body::Kind::data && b.terminated) raw.remove_suffix(3);
    for (std::string_view l : body_lines(raw)) {
        auto s = std::find_if(b.segments.rbegin(), b.segments.rend(), [&](const BodySegment& g) { return g.offset <= offset; });
        out.push_back({l, s == b.segments.rend() ? Millis{0} : s->t});
        offset += l.size();
    }
    return out;
}

// A line is text without CR or LF followed by CRLF; the last fragment of a body cut short has
// no ending at all, which is not a bare line ending.
bool bare_cr_or_lf(std::string_view line) {
    const std::string_view text = line.ends_with("\r\n") ? line.substr(0, line.size() - 2) : line;
    return text.find_first_of("\r\n") != std::string_view::npos;
}

// A '.' alone between line breaks that are not the one CRLF "." CRLF terminator: what the
// smuggling paper's "service A" passes through (\n.\n, \n.\r\n, \r\n.\n, \r.\r\n ...).
// Returns the offset of the first such dot in the DATA body, or npos.
std::size_t smuggling_dot(std::string_view raw) {
    for (std::size_t p = raw.find('.'); p != std::string_view::npos; p = raw.find('.', p + 1)) {
        const bool before = p == 0 || raw[p - 1] == '\n' || raw[p - 1] == '\r';
        const bool after = p + 1 < raw.size() && (raw[p + 1] == '\r' || raw[p + 1] == '\n');
        if (!before || !after) continue;
        const bool proper_before = p == 0 || (p >= 2 && raw.substr(p - 2, 2) == "\r\n");
        if (proper_before && raw.substr(p + 1, 2) == "\r\n" && p + 3 == raw.size()) continue;  // the terminator
        return p;
    }
    return std::string_view::npos;
}

WirePos body_end(const Body& b) {
    const BodySegment& s = b.segments.back();
    return {s.pos.entry, s.pos.offset + (b.raw.size() - 1 - s.offset)};
}

}  // namespace

Finding dot_stuffing(const Context& c) {
    constexpr std::string_view id = "dot-stuffing";
    std::vector<std::string> quotes;
    std::size_t bodies = 0, stuffed = 0;
    for (std::size_t i = 0; i < c.views.size(); ++i)
        for (const Body& b : c.views[i].bodies) {
            if (b.kind != Body::Kind::data) continue;
            ++bodies;
            for (const BodyLine& l : lines_of(b)) {
                if (!l.text.starts_with('.')) continue;
                // RFC 5321 4.5.2: a client doubles every leading dot, so ".x" on the wire is an
                // unstuffed line (the server will eat its dot).
                if (l.text.starts_with("..")) ++stuffed;
                else add_quote(quotes, quote_text(c, i, 'C', l.t, b.tls, visible(l.text)));
            }
        }
    if (bodies == 0) return skipped(id, "no DATA body");
    if (!quotes.empty()) return fail(id, "body line starting with '.' not dot-stuffed", std::move(quotes));
    return pass(id, std::to_string(stuffed) + " dot line(s), all stuffed");
}

Finding crlf_only(const Context& c) {
    constexpr std::string_view id = "crlf-only";
    std::vector<std::string> quotes;
    for (std::size_t i = 0; i < c.views.size(); ++i) {
        for (const ClientLine& l : c.views[i].lines)
            if (l.text.find_first_of("\r\n") != std::string::npos || l.ending == "\n") add_quote(quotes, quote(c, i, l));
        for (const Body& b : c.views[i].bodies)
            for (const BodyLine& l : lines_of(b))
                if (bare_cr_or_lf(l.text))
                    add_quote(quotes, quote_text(c, i, 'C', l.t, b.tls, visible(l.text)));
    }
    if (!quotes.empty()) return fail(id, "bare CR or LF on the wire", std::move(quotes));
    if (c.views.empty()) return skipped(id, "no connection");
    return pass(id, "every line ends in CRLF");
}

Finding line_length(const Context& c) {
    constexpr std::string_view id = "line-length";
    std::vector<std::string> quotes;
    std::string first;
    for (std::size_t i = 0; i < c.views.size(); ++i) {
        for (const ClientLine& l : c.views[i].lines) {
            const bool auth = l.verb == core::Verb::auth || l.kind == ClientLine::Kind::auth_response;
            const std::size_t limit = auth ? max_auth_line : max_command_line;
            if (l.text.size() + 2 <= limit) continue;
            if (first.empty()) first = "command line of " + std::to_string(l.text.size() + 2) + " octets (limit " + std::to_string(limit) + ")";
            add_quote(quotes, quote(c, i, l));
        }
        for (const Body& b : c.views[i].bodies)
            for (const BodyLine& l : lines_of(b)) {
                const std::size_t n = l.text.ends_with("\r\n") ? l.text.size() : l.text.size() + 2;
                if (n <= max_text_line) continue;
                if (first.empty()) first = "body line of " + std::to_string(n) + " octets (limit 1000)";
                add_quote(quotes, quote_text(c, i, 'C', l.t, b.tls, visible(l.text)));
            }
    }
    if (!quotes.empty()) return fail(id, first, std::move(quotes));
    if (c.views.empty()) return skipped(id, "no connection");
    return pass(id, "all lines within RFC 5321 limits");
}

Finding single_end_of_data(const Context& c) {
    constexpr std::string_view id = "single-end-of-data";
    std::vector<std::string> quotes;
    std::string first;
    std::size_t bodies = 0;
    auto bad = [&](std::string why, std::string q) {
        if (first.empty()) first = std::move(why);
        add_quote(quotes, std::move(q));
    };
    for (std::size_t i = 0; i < c.views.size(); ++i) {
        const ClientView& v = c.views[i];
        for (const Body& b : v.bodies) {
            if (b.kind != Body::Kind::data || b.segments.empty()) continue;
            ++bodies;
            if (const std::size_t p = smuggling_dot(b.raw); p != std::string::npos) {
                const std::size_t from = p >= 8 ? p - 8 : 0;
                bad("a '.' line with bare CR or LF inside the body",
                    quote_text(c, i, 'C', b.segments.front().t, b.tls, "..." + visible(std::string_view(b.raw).substr(from, 16)) + "..."));
            }
            const auto close = std::find_if(v.markers.begin(), v.markers.end(), [](const Marker& m) {
                return m.kind == TraceEntry::Kind::client_closed || m.kind == TraceEntry::Kind::server_closed;
            });
            if (!b.terminated && close != v.markers.end() && close->kind == TraceEntry::Kind::client_closed)
                bad("body never terminated", quote(c, i, *close));
            if (!b.terminated) continue;
            const WirePos end = body_end(b);
            const WirePos until = b.reply ? v.replies[*b.reply].pos : WirePos{SIZE_MAX, 0};
            for (const ClientLine& l : v.lines)
                if (end < l.pos && l.pos < until && l.kind == ClientLine::Kind::command && l.verb == core::Verb::unknown)
                    bad("text after the end of data", quote(c, i, l));
        }
    }
    if (!quotes.empty()) return fail(id, first, std::move(quotes));
    if (bodies == 0) return skipped(id, "no DATA body");
    return pass(id, "one CRLF.CRLF per body");
}

}  // namespace exosim::scenario::rules
