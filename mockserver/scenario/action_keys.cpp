// Decoding, validation and JSON encoding of `do:` (security-tests.md (c)), one row per key.
#include "scenario/action_keys.hpp"

#include <array>

#include "scenario/reply_text.hpp"

namespace exosim::scenario {

namespace json = boost::json;

namespace {

// CC-22 delays go up to 9 minutes; an hour bounds a typo without limiting any real test.
constexpr std::uint64_t max_delay_ms = 3'600'000;

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

void decode_reply(const MapView& m, Step step, Action& a) {
    if (!m.find("reply")) return;
    a.reply.text = reply_text(m, "reply");
    const core::Reply r = checked_reply(m, "reply", *a.reply.text);
    if (r.code == 421 && step == Step::quit) m.decoder().fail(m.need("reply").mark, m.path_of("reply"), "QUIT cannot be answered 421 (use 221 or raw)");
    // The scenario language (schema README): a 421 closes the connection, as RFC 5321 3.8 says.
    // Resolved here, once; the policy acts on `closes`, never on the code.
    a.reply.closes = r.code == 421;
}

void decode_split_at(const MapView& m, Step, Action& a) {
    const DocNode* n = m.find("split_at");
    if (!n) return;
    const Decoder& d = m.decoder();
    const std::string path = m.path_of("split_at");
    if (n->kind != DocNode::Kind::sequence) d.fail(n->mark, path, "expected a list of byte offsets");
    for (std::size_t i = 0; i < n->items.size(); ++i) {
        const auto off = d.integer(n->items[i], index_path(path, i), 1, 1u << 30);
        if (!a.reply.split_at.empty() && off <= a.reply.split_at.back()) d.fail(n->items[i].mark, index_path(path, i), "offsets must increase");
        a.reply.split_at.push_back(off);
    }
}

// `close: true` and `stall: true` each choose the effect; giving both is refused by check_action.
void decode_effect_flag(const MapView& m, std::string_view key, Effect effect, Action& a) {
    if (m.boolean(key).value_or(false)) a.effect = effect;
}

bool flag(const MapView& m, std::string_view key) { return m.boolean(key).value_or(false); }

template <class E>
bool is(const Action& a) { return std::holds_alternative<E>(a.effect); }

void decode_tls_alert(const MapView& m, Step step, Action& a) {
    const auto name = m.text("tls_alert");
    if (!name) return;
    if (*name != core::tls_alert_name(core::TlsAlert::internal_error)) {
        m.decoder().fail(m.need("tls_alert").mark, m.path_of("tls_alert"), "\"" + *name + "\" is not a TLS alert (expected internal_error)");
    }
    if (step != Step::data) {
        m.decoder().fail(m.need("tls_alert").mark, m.path_of("tls_alert"), "tls_alert applies only to rules on data (it interrupts the message content)");
    }
    if (flag(m, "close") || flag(m, "stall") || flag(m, "reset") || flag(m, "half_close")) {
        m.decoder().fail(m.need("tls_alert").mark, m.path_of("tls_alert"), "tls_alert closes the connection itself: it cannot be combined with close, stall, reset or half_close");
    }
    a.effect = effect::TlsAlert{core::TlsAlert::internal_error};
}

constexpr std::array<ActionKey, 14> keys{{
    {"reply", decode_reply, [](const Action& a, json::object& o) { if (a.reply.text) o["reply"] = *a.reply.text; }},
    {"raw", [](const MapView& m, Step, Action& a) { a.reply.raw = raw_bytes(m, "raw"); },
     [](const Action& a, json::object& o) { if (a.reply.raw) o["raw"] = text_from_bytes(*a.reply.raw); }},
    {"raw_hex", nullptr, nullptr},
    {"append_raw", [](const MapView& m, Step, Action& a) { a.reply.append_raw = raw_bytes(m, "append_raw"); },
     [](const Action& a, json::object& o) { if (a.reply.append_raw) o["append_raw"] = text_from_bytes(*a.reply.append_raw); }},
    {"append_raw_hex", nullptr, nullptr},
    {"split_at", decode_split_at,
     [](const Action& a, json::object& o) { if (!a.reply.split_at.empty()) o["split_at"] = json::array(a.reply.split_at.begin(), a.reply.split_at.end()); }},
    {"split_every", [](const MapView& m, Step, Action& a) { if (auto v = m.integer("split_every", 1, 1u << 30)) a.reply.split_every = *v; },
     [](const Action& a, json::object& o) { if (a.reply.split_every > 0) o["split_every"] = a.reply.split_every; }},
    {"delay", [](const MapView& m, Step, Action& a) { if (m.find("delay")) a.reply.delay = delay(m); },
     [](const Action& a, json::object& o) { if (a.reply.delay.count() > 0) o["delay"] = a.reply.delay.count(); }},
    {"close", [](const MapView& m, Step, Action& a) { decode_effect_flag(m, "close", effect::Close{}, a); },
     [](const Action& a, json::object& o) { if (is<effect::Close>(a)) o["close"] = true; }},
    {"stall", [](const MapView& m, Step, Action& a) { decode_effect_flag(m, "stall", effect::Stall{}, a); },
     [](const Action& a, json::object& o) { if (is<effect::Stall>(a)) o["stall"] = true; }},
    {"reset", [](const MapView& m, Step, Action& a) { decode_effect_flag(m, "reset", effect::Reset{}, a); },
     [](const Action& a, json::object& o) { if (is<effect::Reset>(a)) o["reset"] = true; }},
    {"half_close", [](const MapView& m, Step, Action& a) { decode_effect_flag(m, "half_close", effect::HalfClose{}, a); },
     [](const Action& a, json::object& o) { if (is<effect::HalfClose>(a)) o["half_close"] = true; }},
    {"no_reply", [](const MapView& m, Step, Action& a) { a.reply.dropped = flag(m, "no_reply"); },
     [](const Action& a, json::object& o) { if (a.reply.dropped) o["no_reply"] = true; }},
    {"tls_alert", decode_tls_alert,
     [](const Action& a, json::object& o) {
         if (const auto* t = std::get_if<effect::TlsAlert>(&a.effect)) o["tls_alert"] = core::tls_alert_name(t->alert);
     }},
}};

constexpr auto key_names = [] {
    std::array<std::string_view, keys.size()> names{};
    for (std::size_t i = 0; i < keys.size(); ++i) names[i] = keys[i].name;
    return names;
}();

// The valid combinations. Reads the flags from the map as well as the action: `close` and
// `stall` given together leave only one of them in the effect.
void check_action(const MapView& m, const Action& a, Step step) {
    const Decoder& d = m.decoder();
    const DocMark& at = m.node().mark;
    const ReplyPart& r = a.reply;
    const bool sends = r.text || r.raw || r.append_raw || !r.split_at.empty() || r.split_every > 0;
    const bool close = flag(m, "close");
    const bool stall = flag(m, "stall");
    const bool alert = std::holds_alternative<effect::TlsAlert>(a.effect);
    const int endings = close + stall + flag(m, "reset") + flag(m, "half_close");
    if (!sends && r.delay.count() == 0 && endings == 0 && !r.dropped && !alert) {
        d.fail(at, m.path(), "the rule does nothing (give reply, raw, append_raw, split_at, delay, close, stall, reset, half_close, no_reply or tls_alert)");
    }
    // One way to end: the effect is a single alternative.
    if (endings > 1 && !(stall && close && endings == 2)) {
        d.fail(at, m.path(), "give one of close, stall, reset and half_close");
    }
    // no_reply is allowed with stall (redundant): the model documents it as "with close or stall".
    if (stall && (sends || close)) {
        d.fail(at, m.path(), "stall sends nothing and never closes: it cannot be combined with reply, raw, append_raw, split_at, split_every or close");
    }
    if (r.dropped && (r.raw || !r.split_at.empty() || r.split_every > 0)) {
        d.fail(at, m.path(), "no_reply drops the reply: it cannot be combined with raw, split_at or split_every");
    }
    if (!r.split_at.empty() && r.split_every > 0) d.fail(at, m.path(), "give split_at or split_every, not both");
    if (step == Step::auth && r.text && r.text->front() == '3') {
        d.fail(m.need("reply").mark, m.path_of("reply"), "an AUTH challenge (334) cannot be a reply: write it as raw");
    }
}

}  // namespace

std::span<const ActionKey> action_keys() { return keys; }
std::span<const std::string_view> action_key_names() { return key_names; }

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

Action decode_action(const MapView& m, Step step) {
    Action a;
    for (const ActionKey& k : keys) {
        if (k.decode) k.decode(m, step, a);
    }
    check_action(m, a, step);
    return a;
}

json::object action_json(const Action& a) {
    json::object o;
    for (const ActionKey& k : keys) {
        if (k.encode) k.encode(a, o);
    }
    return o;
}

}  // namespace exosim::scenario
