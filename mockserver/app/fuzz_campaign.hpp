#pragma once
// What a fuzz-client run records (internal to the app): one CaseRecord per case, one
// FindingRecord per distinct signature, and the reports written from them.
#include <chrono>
#include <filesystem>
#include <map>
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

// One JSON object per case (cases.jsonl).
std::string case_json_line(const CaseRecord& r);
std::string fuzz_junit(const std::vector<CaseRecord>& cases, const CampaignSummary& s);
std::string fuzz_html(const std::vector<CaseRecord>& cases, const std::vector<FindingRecord>& findings, const CampaignSummary& s);

// Confirms, minimises (on `worker`) and writes each finding under out/findings/.
void settle_findings(std::vector<FindingRecord>& findings, FuzzWorker& worker, const FuzzClientOptions& o);

}  // namespace exosim::app
