// JSON front end (Boost.JSON values into DocNode trees for the shared Decoder) and the JSON writer.
#include "scenario/json_io.hpp"

#include <boost/json/parse.hpp>

#include <charconv>

#include "scenario/action_keys.hpp"
#include "scenario/model_decoder.hpp"
#include "scenario/reply_text.hpp"

namespace exosim::scenario {

namespace json = boost::json;

namespace {

std::string number_text(double v) {
    char buf[64];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, ec == std::errc{} ? end : buf);
}

DocNode scalar(DocNode::Type type, std::string text) {
    DocNode n;
    n.kind = DocNode::Kind::scalar;
    n.type = type;
    n.scalar = std::move(text);
    return n;
}

DocNode to_doc(const json::value& v) {
    switch (v.kind()) {
        case json::kind::null: return DocNode{};
        case json::kind::bool_: return scalar(DocNode::Type::boolean, v.get_bool() ? "true" : "false");
        case json::kind::int64: return scalar(DocNode::Type::number, std::to_string(v.get_int64()));
        case json::kind::uint64: return scalar(DocNode::Type::number, std::to_string(v.get_uint64()));
        case json::kind::double_: return scalar(DocNode::Type::number, number_text(v.get_double()));
        case json::kind::string: return scalar(DocNode::Type::string, std::string(v.get_string()));
        case json::kind::array: {
            DocNode n;
            n.kind = DocNode::Kind::sequence;
            for (const auto& item : v.get_array()) n.items.push_back(to_doc(item));
            return n;
        }
        case json::kind::object: {
            DocNode n;
            n.kind = DocNode::Kind::map;
            for (const auto& member : v.get_object()) {
                n.keys.emplace_back(member.key());
                n.key_marks.emplace_back();
                n.items.push_back(to_doc(member.value()));
            }
            return n;
        }
    }
    return DocNode{};
}

json::array string_array(const std::vector<std::string>& v) { return json::array(v.begin(), v.end()); }

json::object match_json(const Match& m) {
    json::object o;
    if (m.attempt) o["attempt"] = *m.attempt;
    if (m.nth) o["nth"] = *m.nth;
    if (m.from_nth) o["from_nth"] = *m.from_nth;
    if (m.recipient) o["recipient"] = *m.recipient;
    if (m.times) o["times"] = *m.times;
    if (m.probability) o["probability"] = *m.probability;
    if (m.after_tls) o["after_tls"] = *m.after_tls;
    return o;
}

json::object rule_json(const Rule& r) {
    json::object o;
    o["on"] = step_name(r.match.step);
    if (auto when = match_json(r.match); !when.empty()) o["when"] = std::move(when);
    o["do"] = action_json(r.action);
    return o;
}

json::object capabilities_json(const Capabilities& c) {
    json::object o;
    if (c.before_tls) o["before_tls"] = string_array(*c.before_tls);
    if (c.after_tls) o["after_tls"] = string_array(*c.after_tls);
    o["remove"] = string_array(c.remove);
    o["add"] = string_array(c.add);
    return o;
}

json::object tls_json(const TlsScript& t) {
    json::object o;
    if (t.min) o["min"] = *t.min;
    if (t.max) o["max"] = *t.max;
    if (t.ciphers) o["ciphers"] = *t.ciphers;
    o["certificate"] = certificate_kind_name(t.certificate);
    o["starts"] = t.starts;
    return o;
}

json::object send_json(const Send& s) {
    json::object o{{"security", s.security}, {"auth", s.auth}, {"user", s.user}, {"password", s.password},
                   {"from", s.from}, {"to", string_array(s.to)}, {"subject", s.subject}, {"body", s.body},
                   {"servername", s.servername}};
    if (s.attachment) o["attachment"] = *s.attachment;
    if (s.source_address) o["source_address"] = *s.source_address;
    if (s.client_certificate) o["client_certificate"] = *s.client_certificate;
    return o;
}

json::object expect_json(const Expectation& e) {
    json::object rules;
    for (const auto& [id, verdict] : e.rules) rules[id] = verdict_name(verdict);
    // One outcome stays a string, as most scenarios write it; several become the list form.
    json::value outcome(outcome_name(e.outcome));
    if (!e.other_outcomes.empty()) {
        json::array all{json::value(outcome_name(e.outcome))};
        for (Outcome o : e.other_outcomes) all.emplace_back(outcome_name(o));
        outcome = std::move(all);
    }
    json::object o{{"outcome", std::move(outcome)}, {"max_attempts", e.max_attempts}, {"rules", std::move(rules)}};
    if (e.min_attempts) o["min_attempts"] = *e.min_attempts;
    if (e.min_tls_version) o["min_tls_version"] = *e.min_tls_version;
    return o;
}

}  // namespace

Scenario scenario_from_json(const json::value& value, const std::string& source) {
    return Decoder(source).scenario(to_doc(value), "");
}

Scenario parse_scenario_json(std::string_view text, const std::string& source) {
    boost::system::error_code ec;
    json::value value = json::parse(text, ec);
    if (ec) throw ScenarioError(source, 0, 0, "(syntax)", ec.message());
    return scenario_from_json(value, source);
}

json::value to_json(const ServerScript& s) {
    json::array rules;
    for (const Rule& r : s.rules) rules.push_back(rule_json(r));
    json::object o{{"seed", s.seed}, {"capabilities", capabilities_json(s.capabilities)},
                   {"tls", tls_json(s.tls)}, {"rules", std::move(rules)}};
    if (s.greeting) o["greeting"] = *s.greeting;
    return o;
}

json::value to_json(const Scenario& s) {
    json::object tenant;
    for (const auto& [k, v] : s.tenant) tenant[k] = v;
    return json::object{{"id", s.id}, {"title", s.title}, {"description", s.description},
                        {"endpoint", s.endpoint}, {"tenant", std::move(tenant)}, {"tags", string_array(s.tags)},
                        {"server", to_json(s.server)}, {"send", send_json(s.send)}, {"expect", expect_json(s.expect)}};
}

}  // namespace exosim::scenario
