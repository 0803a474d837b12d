// Credentials and capabilities: where secrets went, and whether what the client used was offered
// by the server it was talking to at that moment.
#include <algorithm>
#include <cstdint>

#include "core/ascii.hpp"
#include "core/base64.hpp"
#include "scenario/verdict_rules.hpp"

namespace exosim::scenario::rules {

namespace {

// Passwords shorter than this would match by chance inside unrelated bytes.
inline constexpr std::size_t min_searchable_secret = 4;

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const std::string& s : v) out += (out.empty() ? "" : " ") + s;
    return out.empty() ? "none" : out;
}

// The secret as it may appear on the wire: verbatim (e.g. a broken LOGIN) or base64.
std::vector<std::string> secret_forms(const Send& send) {
    if (send.password.size() < min_searchable_secret) return {};
    return {send.password, core::base64_encode(send.password),
            core::base64_encode(std::string(1, '\0') + send.user + std::string(1, '\0') + send.password)};
}

void plaintext_secret(const Context& c, std::size_t conn, std::size_t& bad, std::vector<std::string>& quotes) {
    const std::vector<std::string> forms = secret_forms(c.scenario.send);
    for (const TraceEntry& e : c.trace.connections[conn].entries) {
        if (e.kind != TraceEntry::Kind::client_bytes || e.tls) continue;
        if (std::any_of(forms.begin(), forms.end(), [&](const std::string& f) { return e.bytes.find(f) != std::string::npos; })) {
            ++bad;
            add_quote(quotes, quote_text(c, conn, 'C', e.t, false, "<client bytes containing the password>"));
        }
    }
}

// An extension a MAIL or BDAT line uses, with the EHLO keyword that must announce it.
std::vector<std::pair<std::string, std::string>> extensions_used(const ClientLine& l) {
    std::vector<std::pair<std::string, std::string>> out;  // (used, keyword)
    if (l.verb == core::Verb::bdat) out.emplace_back("BDAT", "CHUNKING");  // RFC 3030 2
    if (l.verb != core::Verb::mail) return out;
    const std::string u = core::ascii::upper(l.text);
    const std::size_t close = u.find('>');
    const std::string params = close == std::string::npos ? "" : u.substr(close + 1);
    if (params.find(" SIZE=") != std::string::npos) out.emplace_back("SIZE=", "SIZE");
    if (params.find(" BODY=8BITMIME") != std::string::npos) out.emplace_back("BODY=8BITMIME", "8BITMIME");
    if (params.find(" BODY=BINARYMIME") != std::string::npos) out.emplace_back("BODY=BINARYMIME", "BINARYMIME");
    if (params.find(" SMTPUTF8") != std::string::npos) out.emplace_back("SMTPUTF8", "SMTPUTF8");
    return out;
}

// Returns the problem with an AUTH line, or empty.
std::string auth_problem(const ClientView& v, std::size_t idx) {
    const ClientLine& l = v.lines[idx];
    const std::size_t sp = l.text.find(' ');
    const std::string rest = sp == std::string::npos ? "" : l.text.substr(sp + 1);
    const std::string mech = core::ascii::upper(rest.substr(0, rest.find(' ')));
    const ServerReply* caps = capabilities_for(v, idx);
    if (!caps) return "AUTH " + mech + " without an EHLO reply " + (l.tls ? "inside TLS" : "in this session");
    const std::vector<std::string> offered = auth_mechanisms(*caps);
    if (std::find(offered.begin(), offered.end(), mech) == offered.end())
        return "AUTH " + mech + " not offered (offered: " + join(offered) + ")";
    return {};
}

}  // namespace

Finding no_plaintext_credentials(const Context& c) {
    constexpr std::string_view id = "no-plaintext-credentials";
    if (!c.tls_required()) return skipped(id, "the client was not asked for TLS");
    std::vector<std::string> quotes;
    std::size_t bad = 0;
    for (std::size_t i = 0; i < c.views.size(); ++i) {
        for (const ClientLine& l : c.views[i].lines)
            if (!l.tls && (l.verb == core::Verb::auth || l.kind == ClientLine::Kind::auth_response)) {
                ++bad;
                add_quote(quotes, quote(c, i, l));
            }
        plaintext_secret(c, i, bad, quotes);
    }
    if (bad > 0) return fail(id, "credentials sent in plaintext", std::move(quotes));
    return pass(id, "no credentials in plaintext");
}

// RFC 3207 4.2: after TLS the client "MUST discard any knowledge obtained from the server";
// RFC 5321 2.2.1: extensions only when the EHLO reply announced them.
Finding post_tls_capabilities_only(const Context& c) {
    constexpr std::string_view id = "post-tls-capabilities-only";
    std::vector<std::string> quotes, problems;
    std::size_t checked = 0;
    for (std::size_t i = 0; i < c.views.size(); ++i) {
        const ClientView& v = c.views[i];
        for (std::size_t k = 0; k < v.lines.size(); ++k) {
            const ClientLine& l = v.lines[k];
            if (l.kind != ClientLine::Kind::command || l.discarded) continue;
            std::string problem;
            if (l.verb == core::Verb::auth) {
                ++checked;
                problem = auth_problem(v, k);
            }
            for (const auto& [used, keyword] : extensions_used(l)) {
                ++checked;
                const ServerReply* caps = capabilities_for(v, k);
                if (!caps || !has_keyword(*caps, keyword)) problem = used + " used but " + keyword + " not offered";
            }
            if (problem.empty()) continue;
            problems.push_back(problem);
            if (const ServerReply* caps = capabilities_for(v, k)) add_quote(quotes, quote(c, i, *caps));
            add_quote(quotes, quote(c, i, l));
        }
    }
    if (checked == 0) return skipped(id, "no AUTH or extension used");
    if (!problems.empty()) return fail(id, problems.front() + (problems.size() > 1 ? " (and more)" : ""), std::move(quotes));
    return pass(id, "only offered capabilities used");
}

// CC-04: bytes the server wrote before the handshake must not drive the client inside TLS; a
// client that sends AUTH or MAIL before any TLS reply acted on plaintext it buffered.
Finding no_response_injection_use(const Context& c) {
    constexpr std::string_view id = "no-response-injection-use";
    std::vector<std::string> quotes;
    std::size_t upgrades = 0, injected = 0;
    for (std::size_t i = 0; i < c.views.size(); ++i) {
        const ClientView& v = c.views[i];
        for (const Marker& m : v.markers) {
            if (m.kind != TraceEntry::Kind::tls_started || !m.after_starttls) continue;
            ++upgrades;
            for (const ServerReply& r : v.replies)
                if (!r.tls && (r.unsolicited || !r.terminated)) ++injected;
            WirePos first_reply{SIZE_MAX, 0};
            for (const ServerReply& r : v.replies)
                if (r.tls && m.pos < r.pos) first_reply = std::min(first_reply, r.pos);
            for (const ClientLine& l : v.lines) {
                if (!l.tls || !(m.pos < l.pos) || !(l.pos < first_reply)) continue;
                if (l.verb == core::Verb::ehlo || l.verb == core::Verb::helo || l.verb == core::Verb::quit) continue;
                add_quote(quotes, quote(c, i, l));
            }
        }
    }
    if (upgrades == 0) return skipped(id, "no STARTTLS upgrade");
    const std::string note = injected ? " (" + std::to_string(injected) + " injected plaintext replies)" : "";
    if (!quotes.empty()) return fail(id, "acted before any reply inside TLS" + note, std::move(quotes));
    return pass(id, "waited for a reply inside TLS" + note);
}

}  // namespace exosim::scenario::rules
