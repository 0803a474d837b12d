// TLS and STARTTLS rules: what must not cross the wire before or outside TLS, and what the
// client does with the TLS session it got.
#include <algorithm>
#include <cctype>

#include "scenario/verdict_rules.hpp"

namespace exosim::scenario::rules {

namespace {

bool credential_or_envelope(const ClientLine& l) {
    return l.kind == ClientLine::Kind::auth_response || l.verb == core::Verb::auth || is_envelope(l.verb);
}

// "TLSv1.2" / "TLSv1" / "1.3" -> 12 / 10 / 13; 0 when unknown.
int version_number(std::string_view v) {
    std::string digits;
    for (char ch : v)
        if (std::isdigit(static_cast<unsigned char>(ch))) digits += ch;
    if (digits.empty()) return 0;
    if (digits.size() == 1) digits += '0';
    return std::stoi(digits.substr(0, 2));
}

}  // namespace

// RFC 3207 4 and the issue: "STARTTLS before any credential or envelope". Pipelined plaintext
// after STARTTLS counts: it was sent before TLS even if the server discarded it.
Finding starttls_before_credentials(const Context& c) {
    constexpr std::string_view id = "starttls-before-credentials";
    if (c.scenario.send.security != "starttls") return skipped(id, "the client was not asked for STARTTLS");
    std::vector<std::string> quotes;
    std::size_t bad = 0, sent = 0;
    for (std::size_t i = 0; i < c.views.size(); ++i)
        for (const ClientLine& l : c.views[i].lines) {
            if (!credential_or_envelope(l)) continue;
            ++sent;
            if (!l.tls) {
                ++bad;
                add_quote(quotes, quote(c, i, l));
            }
        }
    if (bad > 0)
        return fail(id, std::to_string(bad) + " credential or envelope line(s) sent before TLS", std::move(quotes));
    return pass(id, sent == 0 ? "no credentials or envelope sent" : "all credentials and envelope inside TLS");
}

Finding no_plaintext_mail(const Context& c) {
    constexpr std::string_view id = "no-plaintext-mail";
    if (!c.tls_required()) return skipped(id, "the client was not asked for TLS");
    std::vector<std::string> quotes;
    std::size_t bad = 0;
    for (std::size_t i = 0; i < c.views.size(); ++i) {
        const ClientView& v = c.views[i];
        for (const ClientLine& l : v.lines)
            if (l.kind == ClientLine::Kind::command && is_envelope(l.verb) && !l.tls) {
                ++bad;
                add_quote(quotes, quote(c, i, l));
            }
        for (const Body& b : v.bodies)
            if (!b.tls && !b.raw.empty()) {
                ++bad;
                add_quote(quotes, quote_text(c, i, 'C', b.segments.front().t, false,
                                             "<message body, " + std::to_string(b.raw.size()) + " octets>"));
            }
    }
    if (bad > 0) return fail(id, "message data sent in plaintext", std::move(quotes));
    return pass(id, "no message data in plaintext");
}

// RFC 3207 4.2: "The client SHOULD send an EHLO command as the first command after a successful
// TLS negotiation"; QUIT (CC-08 strict mode) and HELO reveal nothing.
Finding ehlo_after_tls(const Context& c) {
    constexpr std::string_view id = "ehlo-after-tls";
    std::vector<std::string> quotes;
    std::size_t upgrades = 0;
    for (std::size_t i = 0; i < c.views.size(); ++i) {
        const ClientView& v = c.views[i];
        for (const Marker& m : v.markers) {
            if (m.kind != TraceEntry::Kind::tls_started || !m.after_starttls) continue;
            ++upgrades;
            auto first = std::find_if(v.lines.begin(), v.lines.end(), [&](const ClientLine& l) { return l.tls && m.pos < l.pos; });
            if (first == v.lines.end() || first->verb == core::Verb::ehlo || first->verb == core::Verb::helo || first->verb == core::Verb::quit) continue;
            add_quote(quotes, quote(c, i, m));
            add_quote(quotes, quote(c, i, *first));
        }
    }
    if (upgrades == 0) return skipped(id, "no STARTTLS upgrade");
    if (!quotes.empty()) return fail(id, "the first command after TLS was not EHLO", std::move(quotes));
    return pass(id, "EHLO re-sent after TLS");
}

// CC-08: a client that goes on to authenticate or send over a session with an invalid
// certificate "accepts invalid certificate" (what printers without validation do).
Finding aborts_on_invalid_certificate(const Context& c) {
    constexpr std::string_view id = "aborts-on-invalid-certificate";
    const CertificateKind kind = c.scenario.server.tls.certificate;
    if (kind == CertificateKind::valid) return skipped(id, "the server certificate is valid");
    const std::string name(certificate_kind_name(kind));
    std::vector<std::string> quotes;
    for (std::size_t i = 0; i < c.views.size(); ++i) {
        const ClientView& v = c.views[i];
        const Marker* m = tls_start(v);
        if (!m) continue;
        auto used = std::find_if(v.lines.begin(), v.lines.end(),
                                 [](const ClientLine& l) { return l.tls && credential_or_envelope(l); });
        if (used == v.lines.end()) continue;
        add_quote(quotes, quote(c, i, *m));
        add_quote(quotes, quote(c, i, *used));
    }
    if (!quotes.empty()) return fail(id, "accepts invalid certificate (" + name + ")", std::move(quotes));
    return pass(id, "no credentials or mail over a session with an invalid certificate (" + name + ")");
}

Finding tls_version(const Context& c) {
    constexpr std::string_view id = "tls-version";
    std::vector<std::string> quotes;
    std::string versions;
    int lowest = 100;
    for (std::size_t i = 0; i < c.views.size(); ++i)
        for (const Marker& m : c.views[i].markers)
            if (m.kind == TraceEntry::Kind::tls_started) {
                add_quote(quotes, quote(c, i, m));
                versions += (versions.empty() ? "" : ", ") + m.detail;
                lowest = std::min(lowest, version_number(m.detail));
            }
    if (versions.empty()) return skipped(id, "no TLS session");
    std::optional<std::string> floor = c.scenario.expect.min_tls_version;
    const auto& given = c.options.min_tls_version;
    if (given && (!floor || version_number(*given) > version_number(*floor))) floor = given;
    if (floor && lowest < version_number(*floor))
        return fail(id, "negotiated " + versions + ", below the expected minimum TLS " + *floor, std::move(quotes));
    return pass(id, "negotiated " + versions, std::move(quotes));
}

// CC-30: a post-TLS EHLO that still lists STARTTLS must not start a second upgrade.
Finding no_starttls_loop(const Context& c) {
    constexpr std::string_view id = "no-starttls-loop";
    std::vector<std::string> quotes;
    std::size_t total = 0;
    for (std::size_t i = 0; i < c.views.size(); ++i) {
        std::size_t n = 0;
        for (const ClientLine& l : c.views[i].lines) {
            if (l.verb != core::Verb::starttls) continue;
            ++total;
            if (++n > 1 || l.tls) add_quote(quotes, quote(c, i, l));
        }
    }
    if (total == 0) return skipped(id, "STARTTLS not sent");
    if (!quotes.empty()) return fail(id, "STARTTLS sent again after the first", std::move(quotes));
    return pass(id, "STARTTLS sent once per connection");
}

}  // namespace exosim::scenario::rules
