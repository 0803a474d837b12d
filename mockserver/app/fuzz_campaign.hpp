#pragma once
// What a fuzz-client run records (internal to the app): one CaseRecord per case, one
// FindingRecord per distinct signature, and the reports written from them.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/fuzz_worker.hpp"
#include "fuzz/fuzz_case.hpp"
#include "fuzz/oracle.hpp"

namespace exosim::app {

struct CaseRecord {
    fuzz::FuzzCase fuzz_case;
    std::string id;                      // format_case_id
    std::string scenario_id;
    CaseRun run;
    std::optional<fuzz::Fault> fault;
    std::string signature;               // "" when no oracle fired
    // Devices: the back-searched window of cases that brings the fault back (ids, oldest first;
    // empty when it did not come back) and how many of the --confirm replays showed it.
    std::vector<std::string> window;
    unsigned confirmed = 0;
    unsigned confirm_runs = 0;
};

struct FindingRecord {
    std::string signature;
    fuzz::Fault fault;
    CaseRecord first;                    // the first case that showed it
    std::size_t hits = 0;                // cases with this signature
    bool reproduced = false;             // a confirming replay showed the signature again
    std::vector<scenario::Rule> minimal; // the minimised reply script (the case's when not minimised)
    std::size_t minimise_runs = 0;
    std::filesystem::path dir;           // OUT/findings/NNN-<oracle>/
};

struct CampaignSummary {
    std::string version;
    std::uint64_t model_hash = 0;
    std::uint64_t seed = 0;
    std::string mode;
    std::string endpoint;
    std::chrono::milliseconds duration{0};
};

// The records of a run, filled by the workers in any order: cases.jsonl as they finish, the
// findings de-duplicated by signature, a progress line per new signature.
class Recorder {
public:
    Recorder(const std::filesystem::path& out, std::uint64_t count);
    // True when the case showed a signature not seen before.
    bool record(CaseRecord r);
    std::vector<CaseRecord>& cases() { return cases_; }
    std::vector<FindingRecord>& findings() { return findings_; }

private:
    std::mutex mutex_;
    std::ofstream jsonl_;
    std::uint64_t count_;
    std::vector<CaseRecord> cases_;
    std::vector<FindingRecord> findings_;
};

// Runs case `c` as a scenario on `worker` and judges it.
CaseRecord run_case(FuzzWorker& worker, const fuzz::FuzzCase& c, const FuzzClientOptions& o);

// One JSON object per case (cases.jsonl).
std::string case_json_line(const CaseRecord& r);
std::string fuzz_junit(const std::vector<CaseRecord>& cases, const CampaignSummary& s);
std::string fuzz_html(const std::vector<CaseRecord>& cases, const std::vector<FindingRecord>& findings, const CampaignSummary& s);

// The device loop: cases one at a time, a device fault back-searched and confirmed.
void device_campaign(FuzzWorker& worker, Recorder& recorder, std::uint64_t count,
                     const std::function<fuzz::FuzzCase(std::uint64_t)>& case_at,
                     std::chrono::steady_clock::time_point stop_at, const FuzzClientOptions& o);

// Confirms, minimises (on `worker`) and writes each finding under out/findings/.
void settle_findings(std::vector<FindingRecord>& findings, FuzzWorker& worker, const FuzzClientOptions& o);

}  // namespace exosim::app
