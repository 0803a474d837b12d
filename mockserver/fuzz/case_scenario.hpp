#pragma once
// A fuzz case as the one scenario model: the server script (one rule per anomaly; every other
// stage is answered by the endpoint's profile, as with any scenario) plus what the client is asked
// to send. Its YAML is the reproducer `exosim certify --scenario FILE` replays. Sans-I/O.
#include <span>
#include <string>
#include <string_view>

#include "fuzz/fuzz_case.hpp"
#include "scenario/model.hpp"

namespace exosim::fuzz {

// Endpoints a case can target (listener names of the embedded configuration).
std::span<const std::string_view> fuzz_endpoints();

// The rules of a case, in stage order.
std::vector<scenario::Rule> case_rules(const FuzzCase& c);
// The scenario for `rules` (a case's, or a minimised subset). `id_text` is format_case_id().
scenario::Scenario case_scenario(const FuzzCase& c, std::vector<scenario::Rule> rules, const std::string& endpoint);
scenario::Scenario case_scenario(const FuzzCase& c, const std::string& endpoint);

// The scenario as a YAML document (JSON flow style, which YAML reads), led by a comment.
std::string scenario_yaml(const scenario::Scenario& s, std::string_view comment);

// The behavioural rules of `certify` a fuzz case judges (reference §3): credentials or mail in
// clear when TLS was required (after a 454, a stripped or injected STARTTLS).
std::span<const std::string_view> behaviour_rules();

}  // namespace exosim::fuzz
