#pragma once
// `exosim report merge DIR... [--out DIR]`: the results.json of every shard of a
// `certify --shard I/N` run (each DIR a shard's --out, or the results.json itself) into one
// junit.xml, results.json and report.html equal to a single run's, scenarios in suite order.
// Exit 0 when every scenario passed, 1 when one did not (reports written), 2 for usage errors
// and for shards that do not merge: unreadable, not shards, from different splits, a shard or a
// scenario missing or duplicated (nothing written; every problem is listed).
#include <filesystem>
#include <string>
#include <vector>

#include "scenario/results.hpp"

namespace exosim::app {

// `args` excludes the program name and the command word.
int report_command(const std::vector<std::string>& args);

// junit.xml, results.json, report.html in `out` (created). False when any cannot be written.
bool write_reports(const std::filesystem::path& out, const scenario::SuiteResult& suite);

}  // namespace exosim::app
