#pragma once
// The verdict engine: judges one scenario run from its recorded trace (what was on the wire) and
// nothing else. Every rule yields one Finding with its verdict and the transcript lines that
// prove it; the scenario verdict compares outcome and rule verdicts with the expectation.
//
//   pass    outcome as expected and every rule as expected (default: pass or skipped)
//   fail    the client broke a rule, or the outcome differs
//   error   the harness broke: no connection recorded (unless expect.min_attempts is 0: then
//           the outcome is not_attempted and judged like any other), an unknown rule id in the
//           expectation.
//           The runner sets error itself when the client command cannot run.
#include <chrono>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/model.hpp"
#include "scenario/trace.hpp"

namespace exosim::scenario {

enum class Severity { info, warning, error };
std::string_view severity_name(Severity s);

struct Finding {
    std::string rule;                   // rule id, or "outcome"
    Verdict verdict = Verdict::skipped;
    Severity severity = Severity::info;
    std::string message;
    // Evidence, e.g. "C 0.120s [plain] AUTH LOGIN"; "#2 " prefix from the second connection on.
    std::vector<std::string> quotes;
    std::optional<Verdict> expected;    // forced by the scenario; nullopt: pass or skipped
    bool as_expected = true;
};

struct Findings {
    Verdict verdict = Verdict::pass;
    Outcome outcome = Outcome::aborted;
    Outcome expected_outcome = Outcome::delivered;  // the accepted outcome matched, else the first
    std::string error;                  // why the verdict is error
    std::vector<Finding> rules;         // "outcome" first, then every rule of the catalogue
    unsigned attempts = 0;              // connections recorded
    std::vector<std::string> tls_versions;  // negotiated per connection ("TLSv1.3"; "" when none)

    const Finding* find(std::string_view rule) const;
};

// The attachment the client was asked to send, as the runner prepared it.
struct ExpectedAttachment {
    std::string filename;               // as it must appear in filename= / name=
    std::string bytes;
};

// What judging needs beyond the scenario and the trace.
struct JudgeOptions {
    // Start of each connection since the run began (one per connection, same order as the
    // trace). Empty: backoff between attempts is not judged.
    std::vector<std::chrono::milliseconds> connection_starts;
    // Resolves Send.attachment; unset or nullopt: attachment-intact is skipped.
    std::function<std::optional<ExpectedAttachment>(const std::string& attachment)> attachment;
    // Lowest acceptable TLS version ("1.2"), e.g. from the command line; with the scenario's
    // expect.min_tls_version the higher of the two applies.
    std::optional<std::string> min_tls_version;
};

Findings judge(const Scenario& scenario, const Trace& trace, const JudgeOptions& options = {});

struct RuleInfo {
    std::string_view id;
    std::string_view summary;           // one line, for reports and `exosim certify --list-rules`
    std::string_view reference;         // RFC section and CC case
};

// The rule catalogue in judging order; expectations may only name these ids (and "outcome").
std::span<const RuleInfo> rule_catalogue();

}  // namespace exosim::scenario
