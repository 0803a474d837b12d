// Decoding of the scenario's top level, the send and the expectations, and of suites; shared readers.
#include "scenario/model_decoder.hpp"

#include <charconv>
#include <cmath>

#include "core/ascii.hpp"
#include "scenario/scenario_error.hpp"

namespace exosim::scenario {

namespace {

namespace ascii = core::ascii;

std::string_view type_name(const DocNode& n) {
    switch (n.kind) {
        case DocNode::Kind::null: return "nothing";
        case DocNode::Kind::sequence: return "a list";
        case DocNode::Kind::map: return "a map";
        case DocNode::Kind::scalar: break;
    }
    switch (n.type) {
        case DocNode::Type::boolean: return "a boolean";
        case DocNode::Type::number: return "a number";
        default: return "a string";
    }
}

// Identifiers (scenario ids, endpoint names, rule ids) are used in file names and URLs.
bool is_identifier(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
        if (!ascii::is_alnum(c) && c != '-' && c != '_' && c != '.') return false;
    }
    return true;
}

// Dotted-quad in 127.0.0.0/8, not the broadcast address: everything network stays on loopback.
bool is_loopback_v4(std::string_view s) {
    unsigned parts[4] = {};
    std::size_t i = 0;
    for (int k = 0; k < 4; ++k) {
        if (k > 0 && (i >= s.size() || s[i++] != '.')) return false;
        const std::size_t start = i;
        while (i < s.size() && ascii::is_digit(s[i]) && i - start < 3) ++i;
        if (i == start || (i - start > 1 && s[start] == '0')) return false;
        std::from_chars(s.data() + start, s.data() + i, parts[k]);
        if (parts[k] > 255) return false;
    }
    return i == s.size() && parts[0] == 127 && !(parts[1] == 255 && parts[2] == 255 && parts[3] == 255);
}

// RFC 1035 2.3.1 preferred name syntax (letters, digits, hyphens; labels <= 63, name <= 253).
bool is_domain(std::string_view s) {
    if (s.empty() || s.size() > 253) return false;
    std::size_t label = 0;
    for (std::size_t i = 0; i <= s.size(); ++i) {
        if (i == s.size() || s[i] == '.') {
            if (label == 0 || label > 63 || s[i - 1] == '-' || s[i - label] == '-') return false;
            label = 0;
        } else if (ascii::is_alnum(s[i]) || s[i] == '-') {
            ++label;
        } else {
            return false;
        }
    }
    return true;
}

std::string one_of(std::span<const std::string_view> names) {
    std::string out;
    for (auto n : names) out += (out.empty() ? "" : ", ") + std::string(n);
    return out;
}

}  // namespace

std::string child_path(const std::string& parent, std::string_view key) {
    return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

std::string index_path(const std::string& parent, std::size_t index) {
    return parent + "[" + std::to_string(index) + "]";
}

void Decoder::fail(const DocMark& at, const std::string& path, const std::string& message) const {
    throw ScenarioError(source_, at.line, at.column, path.empty() ? "(root)" : path, message);
}

std::string Decoder::text(const DocNode& n, const std::string& path) const {
    if (n.kind != DocNode::Kind::scalar || (n.type != DocNode::Type::text && n.type != DocNode::Type::string)) {
        fail(n.mark, path, "expected a string, found " + std::string(type_name(n)));
    }
    return n.scalar;
}

std::string Decoder::any_scalar(const DocNode& n, const std::string& path) const {
    if (n.kind != DocNode::Kind::scalar) fail(n.mark, path, "expected a scalar, found " + std::string(type_name(n)));
    return n.scalar;
}

bool Decoder::boolean(const DocNode& n, const std::string& path) const {
    const bool ok_type = n.kind == DocNode::Kind::scalar &&
                         (n.type == DocNode::Type::text || n.type == DocNode::Type::boolean);
    if (ok_type && n.scalar == "true") return true;
    if (ok_type && n.scalar == "false") return false;
    fail(n.mark, path, "expected true or false, found " +
                           (n.kind == DocNode::Kind::scalar ? "\"" + n.scalar + "\"" : std::string(type_name(n))));
}

std::uint64_t Decoder::integer(const DocNode& n, const std::string& path, std::uint64_t min,
                               std::uint64_t max) const {
    const bool ok_type = n.kind == DocNode::Kind::scalar &&
                         (n.type == DocNode::Type::text || n.type == DocNode::Type::number);
    const auto v = ok_type ? ascii::parse_u64(n.scalar) : std::nullopt;
    if (!v) fail(n.mark, path, "expected a whole number, found " + (ok_type ? "\"" + n.scalar + "\"" : std::string(type_name(n))));
    if (*v < min || *v > max) {
        fail(n.mark, path, "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", found " + n.scalar);
    }
    return *v;
}

double Decoder::number(const DocNode& n, const std::string& path) const {
    const bool ok_type = n.kind == DocNode::Kind::scalar &&
                         (n.type == DocNode::Type::text || n.type == DocNode::Type::number);
    double v = 0;
    const char* end = n.scalar.data() + n.scalar.size();
    const auto [p, ec] = std::from_chars(n.scalar.data(), end, v);
    if (!ok_type || ec != std::errc{} || p != end || !std::isfinite(v)) {
        fail(n.mark, path, "expected a number, found " + (ok_type ? "\"" + n.scalar + "\"" : std::string(type_name(n))));
    }
    return v;
}

std::vector<std::string> Decoder::strings(const DocNode& n, const std::string& path, bool single_ok) const {
    if (single_ok && n.kind == DocNode::Kind::scalar) return {text(n, path)};
    if (n.kind != DocNode::Kind::sequence) fail(n.mark, path, "expected a list of strings, found " + std::string(type_name(n)));
    std::vector<std::string> out;
    for (std::size_t i = 0; i < n.items.size(); ++i) out.push_back(text(n.items[i], index_path(path, i)));
    return out;
}

MapView::MapView(const Decoder& d, const DocNode& node, std::string path, std::span<const std::string_view> allowed)
    : d_(d), node_(node), path_(std::move(path)) {
    if (node.kind != DocNode::Kind::map) d.fail(node.mark, path_, "expected a map, found " + std::string(type_name(node)));
    for (std::size_t i = 0; i < node.keys.size(); ++i) {
        const std::string& key = node.keys[i];
        for (std::size_t j = 0; j < i; ++j) {
            if (node.keys[j] == key) d.fail(node.key_marks[i], path_of(key), "duplicate key");
        }
        bool known = allowed.size() == 0;
        for (auto a : allowed) known = known || a == key;
        if (!known) d.fail(node.key_marks[i], path_of(key), "unknown key (expected one of: " + one_of(allowed) + ")");
    }
}

const DocNode* MapView::find(std::string_view key) const {
    for (std::size_t i = 0; i < node_.keys.size(); ++i) {
        if (node_.keys[i] == key) return &node_.items[i];
    }
    return nullptr;
}

const DocNode& MapView::need(std::string_view key) const {
    const DocNode* n = find(key);
    if (n == nullptr) d_.fail(node_.mark, path_of(key), "required key is missing");
    return *n;
}

std::string MapView::path_of(std::string_view key) const { return child_path(path_, key); }

std::optional<std::string> MapView::text(std::string_view key) const {
    const DocNode* n = find(key);
    if (n == nullptr) return std::nullopt;
    return d_.text(*n, path_of(key));
}

std::optional<bool> MapView::boolean(std::string_view key) const {
    const DocNode* n = find(key);
    if (n == nullptr) return std::nullopt;
    return d_.boolean(*n, path_of(key));
}

std::optional<std::uint64_t> MapView::integer(std::string_view key, std::uint64_t min, std::uint64_t max) const {
    const DocNode* n = find(key);
    if (n == nullptr) return std::nullopt;
    return d_.integer(*n, path_of(key), min, max);
}

namespace {

// A string that must be one of `names`.
std::optional<std::string> choice(const MapView& m, std::string_view key, std::initializer_list<std::string_view> names) {
    auto v = m.text(key);
    if (!v) return std::nullopt;
    for (auto n : names) {
        if (n == *v) return v;
    }
    m.decoder().fail(m.need(key).mark, m.path_of(key), "\"" + *v + "\" is not one of: " + one_of(std::span<const std::string_view>(names.begin(), names.size())));
}

Send decode_send(const MapView& m) {
    Send s;
    if (auto v = choice(m, "security", {"starttls", "implicit", "none"})) s.security = *v;
    if (auto v = choice(m, "auth", {"login", "plain", "xoauth2", "none"})) s.auth = *v;
    if (auto v = m.text("user")) s.user = *v;
    if (auto v = m.text("password")) s.password = *v;
    if (auto v = m.text("from")) s.from = *v;
    if (const DocNode* n = m.find("to")) s.to = m.decoder().strings(*n, m.path_of("to"), true);
    if (auto v = m.text("subject")) s.subject = *v;
    if (auto v = m.text("body")) s.body = *v;
    if (auto v = m.text("attachment")) s.attachment = *v;
    if (auto v = m.text("servername")) s.servername = *v;
    if (auto v = m.text("source_address")) {
        if (!is_loopback_v4(*v))
            m.decoder().fail(m.need("source_address").mark, m.path_of("source_address"),
                             "\"" + *v + "\" is not an IPv4 loopback address (127.0.0.1 .. 127.255.255.254)");
        s.source_address = *v;
    }
    if (auto v = m.text("client_certificate")) {
        if (!is_domain(*v))
            m.decoder().fail(m.need("client_certificate").mark, m.path_of("client_certificate"),
                             "\"" + *v + "\" is not a domain name (the certificate's subject, e.g. contoso.com)");
        s.client_certificate = *v;
    }
    if (auto v = choice(m, "token", {"minted", "none"})) s.token = *v;
    return s;
}

// `outcome: rejected` or `outcome: [rejected, delivered]`: the first is the one reports show.
void decode_outcomes(const MapView& m, Expectation& e) {
    const DocNode* n = m.find("outcome");
    if (n == nullptr) return;
    const std::string path = m.path_of("outcome");
    const std::vector<std::string> names = m.decoder().strings(*n, path, true);
    if (names.empty()) m.decoder().fail(n->mark, path, "give at least one outcome");
    const std::initializer_list<std::string_view> known{"delivered", "rejected", "deferred", "aborted", "not_attempted"};
    for (std::size_t i = 0; i < names.size(); ++i) {
        const auto o = outcome_from_name(names[i]);
        const DocMark& at = n->kind == DocNode::Kind::sequence ? n->items[i].mark : n->mark;
        if (!o) m.decoder().fail(at, path, "\"" + names[i] + "\" is not one of: " + one_of(known));
        if (i == 0) e.outcome = *o;
        else if (e.accepts(*o)) m.decoder().fail(at, path, "\"" + names[i] + "\" is listed twice");
        else e.other_outcomes.push_back(*o);
    }
}

Expectation decode_expect(const MapView& m) {
    Expectation e;
    decode_outcomes(m, e);
    if (auto v = m.integer("max_attempts", 1, 100)) e.max_attempts = static_cast<unsigned>(*v);
    // 0: the client may rightly refuse before connecting (CC-24), so no connection is no error.
    if (auto v = m.integer("min_attempts", 0, e.max_attempts)) e.min_attempts = static_cast<unsigned>(*v);
    if (auto v = choice(m, "min_tls_version", {"1.0", "1.1", "1.2", "1.3"})) e.min_tls_version = *v;
    if (const DocNode* n = m.find("rules")) {
        MapView rules(m.decoder(), *n, m.path_of("rules"), {});
        for (const std::string& id : n->keys) {
            if (!is_identifier(id)) m.decoder().fail(rules.find(id)->mark, rules.path_of(id), "not a rule id");
            auto v = choice(rules, id, {"pass", "fail", "error", "skipped"});
            e.rules[id] = *verdict_from_name(*v);
        }
    }
    return e;
}

}  // namespace

Scenario Decoder::scenario(const DocNode& root, const std::string& default_id) const {
    MapView m(*this, root, "",
              {"id", "title", "description", "endpoint", "tenant", "tags", "server", "identity", "send", "expect"});
    Scenario s;
    s.source_file = source_;
    s.id = default_id;
    if (auto v = m.text("id"); v || default_id.empty()) s.id = v ? *v : text(m.need("id"), "id");
    if (!is_identifier(s.id)) fail(m.find("id") ? m.find("id")->mark : root.mark, "id", "\"" + s.id + "\" is not an identifier (letters, digits, - _ .)");
    s.title = m.text("title").value_or(s.id);
    if (auto v = m.text("description")) s.description = *v;
    if (auto v = m.text("endpoint")) s.endpoint = *v;
    if (!is_identifier(s.endpoint)) fail(m.need("endpoint").mark, "endpoint", "\"" + s.endpoint + "\" is not a listener name");
    if (const DocNode* n = m.find("tenant")) {
        MapView t(*this, *n, "tenant", {});
        for (std::size_t i = 0; i < n->keys.size(); ++i) s.tenant[n->keys[i]] = any_scalar(n->items[i], t.path_of(n->keys[i]));
    }
    if (const DocNode* n = m.find("tags")) s.tags = strings(*n, "tags");
    if (const DocNode* n = m.find("server")) s.server = server_script(*n, "server");
    if (const DocNode* n = m.find("send")) {
        s.send = decode_send(MapView(*this, *n, "send",
                                     {"security", "auth", "user", "password", "from", "to", "subject", "body",
                                      "attachment", "servername", "source_address", "client_certificate", "token"}));
    }
    if (const DocNode* n = m.find("identity")) {
        s.identity = decode_identity(MapView(*this, *n, "identity",
                                             {"expect_flow", "approval", "approval_delay", "user", "tenant", "client_id",
                                              "client_secret", "jobs", "access_token_lifetime", "faults", "between_jobs"}));
    }
    if (s.send.token == "none" && s.send.auth != "xoauth2")
        fail(m.need("send").mark, "send.token", "token: none needs auth: xoauth2");
    if (const DocNode* n = m.find("expect")) {
        s.expect = decode_expect(MapView(*this, *n, "expect", {"outcome", "rules", "max_attempts", "min_attempts", "min_tls_version"}));
    }
    return s;
}

Suite Decoder::suite(const DocNode& root, const std::string& default_name) const {
    MapView m(*this, root, "", {"name", "description", "scenarios"});
    Suite s;
    s.name = m.text("name").value_or(default_name);
    if (s.name.empty()) s.name = text(m.need("name"), "name");
    if (auto v = m.text("description")) s.description = *v;
    const DocNode& list = m.need("scenarios");
    s.scenario_files = strings(list, "scenarios");
    if (s.scenario_files.empty()) fail(list.mark, "scenarios", "a suite needs at least one scenario");
    return s;
}

}  // namespace exosim::scenario
