#pragma once
// results.json: the machine-readable report. Field names are stable (schema "exosim.results/1");
// add fields, never rename them.
//
// {
//   "schema": "exosim.results/1",
//   "suite": "printer-certification", "started_at": "2025-01-01T00:00:00Z", "duration_ms": 1234,
//   "summary": {"total": 3, "pass": 1, "fail": 1, "error": 1, "skipped": 0},
//   "shard": {"index": 2, "count": 4, "suite_ids": ["...", ...]},   // only from --shard I/N
//   "scenarios": [{
//     "id": "cc-01-strip-starttls", "title": "...", "source_file": "...", "tags": ["CC-01"],
//     "verdict": "pass|fail|error|skipped", "error": "",          // error: why the harness broke
//     "expected_outcome": "delivered|rejected|deferred|aborted",
//     "actual_outcome": "delivered|...|null",
//     "duration_ms": 120, "attempts": 1, "tls_versions": ["TLSv1.3"],
//     "findings": [{"rule": "no-plaintext-credentials", "verdict": "fail", "severity": "error",
//                   "message": "...", "quotes": ["C 0.120s [plain] AUTH LOGIN"],
//                   "expected": "fail|null", "as_expected": true}],
//     "client_runs": [{"exit_code": 0, "stdout_tail": "...", "stderr_tail": "...", "duration_ms": 80}],
//     "transcripts": [{"session_id": "...", "listener": "submission",
//                      "lines": [{"dir": "C|S|event", "t_ms": 12, "tls": false, "same_read": false,
//                                 "text": "EHLO x"}]}]
//   }]
// }
// Text from the wire or from client output is made valid UTF-8 (invalid bytes -> U+FFFD).
#include <string>
#include <string_view>

#include "scenario/results.hpp"

namespace exosim::scenario {

std::string results_json(const SuiteResult& suite);
// Reads results.json back (e.g. to re-render a report). Throws std::invalid_argument on a
// document that is not this schema.
SuiteResult parse_results_json(std::string_view text);

}  // namespace exosim::scenario
