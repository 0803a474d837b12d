#pragma once
// `exosim report merge`: the shards of one `certify --shard I/N` suite run (each its own CI job)
// back into the one SuiteResult a single run would have written: every scenario in suite order,
// the earliest start, the longest shard's duration (the wall time of the parallel run).
#include <stdexcept>
#include <string>
#include <vector>

#include "scenario/results.hpp"

namespace exosim::scenario {

// Every problem found, one per line, so a broken pipeline is diagnosed in one go.
class MergeError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct ShardResult {
    std::string origin;  // where it was read from (a directory), for error messages
    SuiteResult result;
};

// Throws MergeError when: there is nothing to merge; a result is not a shard; the shards were not
// split from the same suite (name, N, scenario list); a shard index is missing or given twice; a
// scenario of the suite is missing, duplicated or was never part of it.
SuiteResult merge_shards(const std::vector<ShardResult>& shards);

}  // namespace exosim::scenario
