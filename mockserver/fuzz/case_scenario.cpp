// Fuzz cases as scenarios, and scenarios as reproducer YAML.
#include "fuzz/case_scenario.hpp"

#include <array>

#include <boost/json/serialize.hpp>

#include "fuzz/anomaly.hpp"
#include "scenario/json_io.hpp"

namespace exosim::fuzz {

namespace {

constexpr std::array<std::string_view, 3> endpoints{"submission", "legacy", "mx"};
constexpr std::array<std::string_view, 2> rules_judged{"no-plaintext-credentials", "no-plaintext-mail"};

// What a device sends through the endpoint (the library's send fields, scenarios/*.yaml).
scenario::Send send_for(const std::string& endpoint) {
    scenario::Send s;
    s.security = "starttls";
    s.from = "printer@contoso.com";
    s.to = {"alice@contoso.com"};
    s.subject = "exosim fuzz-client";
    s.body = "exosim fuzz-client case";
    if (endpoint == "mx") {
        s.auth = "none";
        s.servername = "contoso-com.mail.protection.outlook.com";
    } else {
        s.auth = "login";
        s.user = "printer@contoso.com";
        s.password = "Printer-Pass-1";
        s.servername = endpoint == "legacy" ? "smtp-legacy.office365.com" : "smtp.office365.com";
    }
    return s;
}

std::string scenario_id(const FuzzCase& c) {
    std::string id = "fuzz-" + std::string(c.id.mode == Mode::catalogue ? "c" : "r" + std::to_string(c.id.depth));
    return id + "-" + std::to_string(c.id.seed) + "-" + std::to_string(c.id.index);
}

}  // namespace

std::span<const std::string_view> fuzz_endpoints() { return endpoints; }
std::span<const std::string_view> behaviour_rules() { return rules_judged; }

std::vector<scenario::Rule> case_rules(const FuzzCase& c) {
    std::vector<scenario::Rule> rules;
    for (const Anomaly& a : c.anomalies) {
        scenario::Rule r;
        r.match.step = stage_step(a.stage);
        r.match.after_tls = stage_after_tls(a.stage);
        r.action = anomaly_classes()[a.cls].make(a.stage);
        rules.push_back(std::move(r));
    }
    return rules;
}

scenario::Scenario case_scenario(const FuzzCase& c, std::vector<scenario::Rule> rules, const std::string& endpoint) {
    scenario::Scenario s;
    s.id = scenario_id(c);
    s.title = "fuzz-client case " + format_case_id(c.id);
    for (const Anomaly& a : c.anomalies) {
        const std::string pair = std::string(stage_name(a.stage)) + "/" + anomaly_classes()[a.cls].name;
        s.description += (s.description.empty() ? "" : ", ") + pair;
        s.tags.push_back(pair);
    }
    s.tags.push_back("fuzz-client");
    s.endpoint = endpoint;
    s.server.rules = std::move(rules);
    s.server.seed = c.id.seed;
    s.send = send_for(endpoint);
    // Any outcome is a client's right under a hostile server; only the behavioural rules judge.
    s.expect.outcome = scenario::Outcome::delivered;
    s.expect.other_outcomes = {scenario::Outcome::rejected, scenario::Outcome::deferred, scenario::Outcome::aborted,
                               scenario::Outcome::not_attempted};
    s.expect.min_attempts = 0;
    for (std::string_view rule : rules_judged) s.expect.rules[std::string(rule)] = scenario::Verdict::pass;
    return s;
}

scenario::Scenario case_scenario(const FuzzCase& c, const std::string& endpoint) {
    return case_scenario(c, case_rules(c), endpoint);
}

std::string scenario_yaml(const scenario::Scenario& s, std::string_view comment) {
    std::string out;
    std::size_t from = 0;
    while (from <= comment.size()) {
        const std::size_t nl = comment.find('\n', from);
        out += "# " + std::string(comment.substr(from, nl == std::string_view::npos ? std::string_view::npos : nl - from)) + "\n";
        if (nl == std::string_view::npos) break;
        from = nl + 1;
    }
    return out + boost::json::serialize(scenario::to_json(s)) + "\n";
}

}  // namespace exosim::fuzz
