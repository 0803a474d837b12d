// Decoding and validation of `server:` — the scripted server behaviour (security-tests.md (c)).
#include <algorithm>

#include "scenario/model_decoder.hpp"
#include "scenario/reply_text.hpp"

namespace exosim::scenario {

namespace {

// CC-22 delays go up to 9 minutes; an hour bounds a typo without limiting any real test.
constexpr std::uint64_t max_delay_ms = 3'600'000;

// A reply given as one string (lines separated by \n) or as a list of lines.
std::string reply_text(const MapView& m, std::string_view key) {
    const DocNode& n = m.need(key);
    if (n.kind != DocNode::Kind::sequence) return m.decoder().text(n, m.path_of(key));
    std::string joined;
    for (const std::string& line : m.decoder().strings(n, m.path_of(key))) joined += (joined.empty() ? "" : "\n") + line;
    return joined;
}

core::Reply checked_reply(const MapView& m, std::string_view key, const std::string& text) {
    std::string error;
    auto reply = parse_reply_text(text, error);
    if (!reply) m.decoder().fail(m.need(key).mark, m.path_of(key), error);
    return *reply;
}

// `raw: "..."` (a byte string, U+0000..U+00FF) or `raw_hex: "..."`, not both.
std::optional<std::string> raw_bytes(const MapView& m, const std::string& key) {
    const std::string hex_key = key + "_hex";
    if (m.find(key) && m.find(hex_key)) m.decoder().fail(m.need(hex_key).mark, m.path_of(hex_key), "give " + key + " or " + hex_key + ", not both");
    std::string error;
    std::optional<std::string> bytes;
    if (auto v = m.text(key)) {
        bytes = bytes_from_text(*v, error);
        if (bytes && bytes->empty()) error = "no bytes given";
        if (!bytes || bytes->empty()) m.decoder().fail(m.need(key).mark, m.path_of(key), error);
    } else if (auto h = m.text(hex_key)) {
        bytes = bytes_from_hex(*h, error);
        if (!bytes) m.decoder().fail(m.need(hex_key).mark, m.path_of(hex_key), error);
    }
    return bytes;
}

// `delay: 250` (milliseconds) or `delay: 250ms | 30s | 4min`.
std::chrono::milliseconds delay(const MapView& m) {
    const DocNode& n = m.need("delay");
    const std::string path = m.path_of("delay");
    std::string text = m.decoder().any_scalar(n, path);
    std::uint64_t scale = 1;
    for (auto [suffix, factor] : {std::pair<std::string_view, std::uint64_t>{"ms", 1}, {"min", 60'000}, {"s", 1000}}) {
        if (text.size() > suffix.size() && text.ends_with(suffix)) {
            text.resize(text.size() - suffix.size());
            scale = factor;
            break;
        }
    }
    DocNode number = n;
    number.scalar = text;
    if (number.type == DocNode::Type::string) number.type = DocNode::Type::text;
    const std::uint64_t v = m.decoder().integer(number, path, 0, max_delay_ms / scale);
    return std::chrono::milliseconds(v * scale);
}

void check_action(const MapView& m, const Action& a, Step step) {
    const Decoder& d = m.decoder();
    const DocMark& at = m.node().mark;
    const bool sends = a.reply || a.raw || a.append_raw || !a.split_at.empty() || a.split_every > 0;
    if (!sends && a.delay.count() == 0 && !a.close && !a.stall && !a.no_reply) {
        d.fail(at, m.path(), "the rule does nothing (give reply, raw, append_raw, split_at, delay, close, stall or no_reply)");
    }
    // no_reply is allowed with stall (redundant): the model documents it as "with close or stall".
    if (a.stall && (sends || a.close)) {
        d.fail(at, m.path(), "stall sends nothing and never closes: it cannot be combined with reply, raw, append_raw, split_at, split_every or close");
    }
    if (a.no_reply && (a.raw || !a.split_at.empty() || a.split_every > 0)) {
        d.fail(at, m.path(), "no_reply drops the reply: it cannot be combined with raw, split_at or split_every");
    }
    if (!a.split_at.empty() && a.split_every > 0) d.fail(at, m.path(), "give split_at or split_every, not both");
    if (step == Step::auth && a.reply && a.reply->front() == '3') {
        d.fail(m.need("reply").mark, m.path_of("reply"), "an AUTH challenge (334) cannot be a reply: write it as raw");
    }
}

Action decode_action(const MapView& m, Step step) {
    const Decoder& d = m.decoder();
    Action a;
    if (m.find("reply")) {
        a.reply = reply_text(m, "reply");
        const core::Reply r = checked_reply(m, "reply", *a.reply);
        if (r.code == 421 && step == Step::quit) d.fail(m.need("reply").mark, m.path_of("reply"), "QUIT cannot be answered 421 (use 221 or raw)");
    }
    a.raw = raw_bytes(m, "raw");
    a.append_raw = raw_bytes(m, "append_raw");
    if (const DocNode* n = m.find("split_at")) {
        const std::string path = m.path_of("split_at");
        if (n->kind != DocNode::Kind::sequence) d.fail(n->mark, path, "expected a list of byte offsets");
        for (std::size_t i = 0; i < n->items.size(); ++i) {
            const auto off = d.integer(n->items[i], index_path(path, i), 1, 1u << 30);
            if (!a.split_at.empty() && off <= a.split_at.back()) d.fail(n->items[i].mark, index_path(path, i), "offsets must increase");
            a.split_at.push_back(off);
        }
    }
    if (auto v = m.integer("split_every", 1, 1u << 30)) a.split_every = *v;
    if (m.find("delay")) a.delay = delay(m);
    a.close = m.boolean("close").value_or(false);
    a.stall = m.boolean("stall").value_or(false);
    a.no_reply = m.boolean("no_reply").value_or(false);
    check_action(m, a, step);
    return a;
}

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
    rule.action = decode_action(MapView(d, m.need("do"), m.path_of("do"),
                                        {"reply", "raw", "raw_hex", "append_raw", "append_raw_hex", "split_at",
                                         "split_every", "delay", "close", "stall", "no_reply"}),
                                step);
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
        checked_reply(m, "greeting", *s.greeting);
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
