#include <algorithm>
#include <cstdio>

#include "core/ehlo_keywords.hpp"
#include "scenario/transcript_text.hpp"
#include "scenario/verdict_rules.hpp"

namespace exosim::scenario::rules {

namespace {

// Long lines (bodies, 64 KiB SASL challenges) are cut in quotes; the length stays visible.
inline constexpr std::size_t max_quote_chars = 200;

std::string clip(std::string text) {
    if (text.size() <= max_quote_chars) return text;
    const std::size_t n = text.size();
    text.resize(max_quote_chars);
    return text + "... (" + std::to_string(n) + " chars)";
}

}  // namespace

bool Context::tls_required() const {
    return scenario.send.security == "starttls" || scenario.send.security == "implicit";
}

std::string seconds(Millis t) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3fs", static_cast<double>(t.count()) / 1000.0);
    return buf;
}

std::string quote_text(const Context& c, std::size_t conn, char dir, Millis t, bool tls, std::string_view text) {
    std::string q = c.views.size() > 1 ? "#" + std::to_string(conn + 1) + " " : "";
    q += dir;
    q += ' ' + seconds(t) + (tls ? " [tls] " : " [plain] ");
    return q + clip(std::string(text));
}

std::string quote(const Context& c, std::size_t conn, const ClientLine& line) {
    return quote_text(c, conn, 'C', line.t, line.tls, display_line(line));
}

std::string quote(const Context& c, std::size_t conn, const ServerReply& reply) {
    std::string text;
    for (std::size_t start = 0; start < reply.raw.size();) {
        const std::size_t lf = reply.raw.find('\n', start);
        const std::size_t end = lf == std::string::npos ? reply.raw.size() : lf + 1;
        std::string_view one = std::string_view(reply.raw).substr(start, end - start);
        if (one.ends_with("\r\n")) one.remove_suffix(2);
        text += (text.empty() ? "" : " | ") + visible(one);
        start = end;
    }
    return quote_text(c, conn, 'S', reply.t, reply.tls, text);
}

std::string quote(const Context& c, std::size_t conn, const Marker& m) {
    std::string what;
    switch (m.kind) {
    case TraceEntry::Kind::tls_started: what = "TLS started " + m.detail; break;
    case TraceEntry::Kind::tls_failed: what = "TLS failed " + m.detail; break;
    case TraceEntry::Kind::client_closed: what = "client closed"; break;
    case TraceEntry::Kind::server_closed: what = "server closed"; break;
    case TraceEntry::Kind::client_hello: what = "ClientHello " + m.detail; break;
    default: what = "server timeout"; break;
    }
    return quote_text(c, conn, '-', m.t, m.tls, visible(what));
}

void add_quote(std::vector<std::string>& quotes, std::string q) {
    if (quotes.size() < max_quotes) quotes.push_back(std::move(q));
}

Finding pass(std::string_view rule, std::string message, std::vector<std::string> quotes) {
    return {std::string(rule), Verdict::pass, Severity::info, std::move(message), std::move(quotes), {}, true};
}

Finding fail(std::string_view rule, std::string message, std::vector<std::string> quotes) {
    return {std::string(rule), Verdict::fail, Severity::error, std::move(message), std::move(quotes), {}, true};
}

Finding skipped(std::string_view rule, std::string reason) {
    return {std::string(rule), Verdict::skipped, Severity::info, std::move(reason), {}, {}, true};
}

bool is_envelope(core::Verb verb) {
    using core::Verb;
    return verb == Verb::mail || verb == Verb::rcpt || verb == Verb::data || verb == Verb::bdat;
}

const Marker* tls_start(const ClientView& view) {
    for (const Marker& m : view.markers)
        if (m.kind == TraceEntry::Kind::tls_started) return &m;
    return nullptr;
}

const ServerReply* capabilities_for(const ClientView& view, std::size_t index) {
    const ClientLine& at = view.lines[index];
    for (std::size_t i = index; i-- > 0;) {
        const ClientLine& l = view.lines[i];
        if (l.tls != at.tls) return nullptr;  // RFC 3207 4.2: pre-TLS capabilities are void
        if (l.verb != core::Verb::ehlo || !l.reply) continue;
        const ServerReply& r = view.replies[*l.reply];
        if (r.code == 250 && r.well_formed && r.pos < at.pos) return &r;
    }
    return nullptr;
}

bool has_keyword(const ServerReply& ehlo, std::string_view keyword) {
    // The first line is the server's domain, not a keyword (RFC 5321 4.1.1.1).
    for (std::size_t i = 1; i < ehlo.lines.size(); ++i) {
        const auto line = core::parse_ehlo_line(ehlo.lines[i]);
        if (line && line->keyword == keyword) return true;
    }
    return false;
}

std::vector<std::string> auth_mechanisms(const ServerReply& ehlo) {
    std::vector<std::string> out;
    for (std::size_t i = 1; i < ehlo.lines.size(); ++i) {
        for (std::string& m : core::ehlo_auth_mechanisms(ehlo.lines[i], true))  // legacy "AUTH=LOGIN PLAIN" too
            if (!m.empty()) out.push_back(std::move(m));
    }
    return out;
}

}  // namespace exosim::scenario::rules
