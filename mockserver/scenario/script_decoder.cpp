// Decoding and validation of `server:` — the scripted server behaviour (security-tests.md (c)).
#include <algorithm>

#include "scenario/action_keys.hpp"
#include "scenario/model_decoder.hpp"

namespace exosim::scenario {

namespace {

Match decode_match(const MapView& m, Step step) {
    Match match;
    match.step = step;
    const unsigned max = 1'000'000;
    if (auto v = m.integer("attempt", 1, 100)) match.attempt = static_cast<unsigned>(*v);
    if (auto v = m.integer("nth", 1, max)) match.nth = static_cast<unsigned>(*v);
    if (auto v = m.integer("from_nth", 1, max)) match.from_nth = static_cast<unsigned>(*v);
    if (match.nth && match.from_nth) m.decoder().fail(m.need("from_nth").mark, m.path_of("from_nth"), "give nth or from_nth, not both");
    if (auto v = m.integer("times", 1, max)) match.times = static_cast<unsigned>(*v);
    match.recipient = m.text("recipient");
    if (match.recipient && step != Step::rcpt) {
        m.decoder().fail(m.need("recipient").mark, m.path_of("recipient"), "recipient applies only to rules on rcpt");
    }
    if (const DocNode* n = m.find("probability")) {
        const double p = m.decoder().number(*n, m.path_of("probability"));
        if (p < 0.0 || p > 1.0) m.decoder().fail(n->mark, m.path_of("probability"), "must be between 0 and 1, found " + n->scalar);
        match.probability = p;
    }
    match.after_tls = m.boolean("after_tls");  // a greeting is inside TLS on implicit-TLS listeners
    return match;
}

Step decode_step(const MapView& m) {
    const std::string name = m.decoder().text(m.need("on"), m.path_of("on"));
    const auto step = step_from_name(name);
    if (!step) {
        m.decoder().fail(m.need("on").mark, m.path_of("on"),
                         "unknown step \"" + name + "\" (expected one of: greeting, ehlo, helo, starttls, auth, mail, rcpt, data, end_of_data, rset, quit, noop, any)");
    }
    if (*step == Step::bdat) {
        m.decoder().fail(m.need("on").mark, m.path_of("on"), "BDAT chunks cannot be scripted; the final reply is end_of_data");
    }
    return *step;
}

Rule decode_rule(const Decoder& d, const DocNode& n, const std::string& path) {
    MapView m(d, n, path, {"on", "when", "do"});
    Rule rule;
    const Step step = decode_step(m);
    rule.match.step = step;
    if (const DocNode* w = m.find("when")) {
        rule.match = decode_match(MapView(d, *w, m.path_of("when"), {"attempt", "nth", "from_nth", "recipient", "times", "probability", "after_tls"}), step);
    }
    rule.action = decode_action(MapView(d, m.need("do"), m.path_of("do"), action_key_names()), step);
    return rule;
}

std::vector<std::string> capability_lines(const MapView& m, std::string_view key, bool keywords) {
    const std::vector<std::string> lines = m.decoder().strings(m.need(key), m.path_of(key));
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string& l = lines[i];
        const bool bad = l.empty() || l.find_first_of("\r\n") != std::string::npos || (keywords && l.find(' ') != std::string::npos);
        if (bad) {
            m.decoder().fail(m.need(key).items[i].mark, index_path(m.path_of(key), i),
                             keywords ? "expected one keyword (no spaces, CR or LF)" : "expected one EHLO line (not empty, no CR or LF)");
        }
    }
    return lines;
}

Capabilities decode_capabilities(const MapView& m) {
    Capabilities c;
    if (m.find("before_tls")) c.before_tls = capability_lines(m, "before_tls", false);
    if (m.find("after_tls")) c.after_tls = capability_lines(m, "after_tls", false);
    if (m.find("remove")) c.remove = capability_lines(m, "remove", true);
    if (m.find("add")) c.add = capability_lines(m, "add", false);
    return c;
}

std::optional<std::string> tls_version(const MapView& m, std::string_view key) {
    auto v = m.find(key) ? std::optional(m.decoder().any_scalar(m.need(key), m.path_of(key))) : std::nullopt;
    if (m.find(key) && m.need(key).type != DocNode::Type::text && m.need(key).type != DocNode::Type::string) {
        m.decoder().fail(m.need(key).mark, m.path_of(key), "write the TLS version as a string (\"1.2\")");
    }
    if (v && *v != "1.0" && *v != "1.1" && *v != "1.2" && *v != "1.3") {
        m.decoder().fail(m.need(key).mark, m.path_of(key), "\"" + *v + "\" is not a TLS version (expected 1.0, 1.1, 1.2 or 1.3)");
    }
    return v;
}

TlsScript decode_tls(const MapView& m) {
    TlsScript t;
    t.min = tls_version(m, "min");
    t.max = tls_version(m, "max");
    if (t.min && t.max && *t.min > *t.max) m.decoder().fail(m.need("max").mark, m.path_of("max"), "max is below min " + *t.min);
    t.ciphers = m.text("ciphers");
    if (auto v = m.text("certificate")) {
        const auto kind = certificate_kind_from_name(*v);
        if (!kind) {
            m.decoder().fail(m.need("certificate").mark, m.path_of("certificate"),
                             "\"" + *v + "\" is not a certificate kind (expected one of: valid, self_signed, unknown_ca, wrong_host, expired, not_yet_valid, missing_intermediate)");
        }
        t.certificate = *kind;
    }
    t.starts = m.boolean("starts").value_or(true);
    return t;
}

}  // namespace

ServerScript Decoder::server_script(const DocNode& node, const std::string& path) const {
    MapView m(*this, node, path, {"seed", "greeting", "capabilities", "tls", "rules"});
    ServerScript s;
    if (auto v = m.integer("seed", 0, UINT64_MAX)) s.seed = *v;
    if (m.find("greeting")) {
        s.greeting = reply_text(m, "greeting");
        // As for a rule's reply: a 421 greeting closes (schema README), decided here once.
        s.greeting_closes = checked_reply(m, "greeting", *s.greeting).code == 421;
    }
    if (const DocNode* n = m.find("capabilities")) {
        s.capabilities = decode_capabilities(MapView(*this, *n, m.path_of("capabilities"), {"before_tls", "after_tls", "remove", "add"}));
    }
    if (const DocNode* n = m.find("tls")) {
        s.tls = decode_tls(MapView(*this, *n, m.path_of("tls"), {"min", "max", "ciphers", "certificate", "starts"}));
    }
    if (const DocNode* n = m.find("rules")) {
        const std::string rules_path = m.path_of("rules");
        if (n->kind != DocNode::Kind::sequence) fail(n->mark, rules_path, "expected a list of rules");
        for (std::size_t i = 0; i < n->items.size(); ++i) s.rules.push_back(decode_rule(*this, n->items[i], index_path(rules_path, i)));
    }
    return s;
}

}  // namespace exosim::scenario
