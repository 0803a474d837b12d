#include "scenario/results.hpp"

#include <algorithm>

namespace exosim::scenario {

std::size_t SuiteResult::count(Verdict v) const {
    return static_cast<std::size_t>(std::count_if(runs.begin(), runs.end(), [&](const RunResult& r) { return r.verdict == v; }));
}

bool SuiteResult::all_passed() const {
    return std::all_of(runs.begin(), runs.end(), [](const RunResult& r) { return r.verdict == Verdict::pass; });
}

namespace {

RunResult base(const Scenario& s) {
    RunResult r;
    r.scenario_id = s.id;
    r.title = s.title;
    r.source_file = s.source_file;
    r.tags = s.tags;
    r.expected_outcome = s.expect.outcome;
    return r;
}

}  // namespace

RunResult make_run_result(const Scenario& scenario, const Trace& trace, const Findings& findings) {
    RunResult r = base(scenario);
    r.verdict = findings.verdict;
    r.error = findings.error;
    r.expected_outcome = findings.expected_outcome;  // the accepted outcome that matched, if several
    r.actual_outcome = findings.outcome;
    r.findings = findings.rules;
    r.attempts = findings.attempts;
    r.tls_versions = findings.tls_versions;
    for (const ConnectionTrace& c : trace.connections) r.transcripts.push_back(build_transcript(c, read_client_view(c)));
    r.identity_requests = trace.identity;
    r.timeline = build_timeline(trace, r.transcripts);
    return r;
}

RunResult harness_error(const Scenario& scenario, std::string message) {
    RunResult r = base(scenario);
    r.verdict = Verdict::error;
    r.error = std::move(message);
    return r;
}

}  // namespace exosim::scenario
