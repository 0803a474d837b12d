#pragma once
// What `exosim certify` found: one RunResult per scenario, one SuiteResult per invocation. The
// three report writers (report_junit, report_json, report_html) read only these.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "scenario/model.hpp"
#include "scenario/timeline.hpp"
#include "scenario/transcript_text.hpp"
#include "scenario/verdict.hpp"

namespace exosim::scenario {

// One run of the client command (or one manual trigger).
struct ClientRun {
    std::optional<int> exit_code;   // nullopt: manual / trigger-url, or killed
    std::string stdout_tail;        // last bytes of output, as captured (may be invalid UTF-8)
    std::string stderr_tail;
    std::chrono::milliseconds duration{0};
};

struct RunResult {
    std::string scenario_id;
    std::string title;
    std::string source_file;
    std::vector<std::string> tags;
    Verdict verdict = Verdict::error;
    std::string error;                          // why the verdict is error (harness broke)
    Outcome expected_outcome = Outcome::delivered;
    std::optional<Outcome> actual_outcome;      // nullopt when never judged
    std::vector<Finding> findings;              // "outcome" first, then the rule catalogue
    std::chrono::milliseconds duration{0};
    unsigned attempts = 0;                      // connections recorded
    std::vector<std::string> tls_versions;      // per connection
    std::vector<ClientRun> client_runs;
    std::vector<ConnectionTranscript> transcripts;
    // issue 13: the sign-in requests of the run, and them merged with the transcripts in time
    // order (empty when the run made no sign-in request).
    std::vector<IdentityRecord> identity_requests;
    std::vector<TimelineLine> timeline;
};

// What a `certify --shard I/N` run was split from: what `exosim report merge` checks shards
// against (together they must hold every one of `suite_ids`, each once).
struct ShardInfo {
    unsigned index = 1;                         // I (1-based)
    unsigned count = 1;                         // N
    std::vector<std::string> suite_ids;         // every scenario id of the selection, in suite order
};

struct SuiteResult {
    std::string name;                           // suite name, or "scenarios"
    std::string started_at;                     // ISO 8601 UTC, set by the runner
    std::chrono::milliseconds duration{0};
    std::vector<RunResult> runs;
    std::optional<ShardInfo> shard;             // set by --shard only; a whole run has none

    std::size_t count(Verdict v) const;
    // `exosim certify` exits 0 only when this holds: every scenario's verdict is pass.
    bool all_passed() const;
};

// A judged run: findings, outcome and per-connection transcripts filled in; the runner adds
// duration and client runs.
RunResult make_run_result(const Scenario& scenario, const Trace& trace, const Findings& findings);
// A run the harness could not complete (client command missing, no trace).
RunResult harness_error(const Scenario& scenario, std::string message);

}  // namespace exosim::scenario
