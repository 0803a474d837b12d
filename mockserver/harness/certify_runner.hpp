#pragma once
// The `exosim certify` run loop for one scenario against a running server: arm the slot, make
// the client send (a command per attempt, a person, or an HTTP trigger), wait until its sessions
// are over, judge the trace, record. The server itself, the reports and the command line live in
// app/certify.cpp; this part only needs the slot and a way to reach each listener.
//
// Attempts: the client runs once; it runs again (after RunnerOptions::rerun_backoff) only while
// the run's outcome is still `deferred` and fewer than expect.max_attempts connections were made,
// so a client that retries by itself is never re-run behind its back.
#include <memory>

#include "harness/run_options.hpp"
#include "harness/scenario_slot.hpp"
#include "scenario/model.hpp"
#include "scenario/results.hpp"

namespace exosim::harness {

// Runs one scenario to its verdict. Never throws for client or scenario problems: those become
// verdict error with the reason.
scenario::RunResult run_scenario(ScenarioSlot& slot, std::shared_ptr<const scenario::Scenario> scenario,
                                 const RunnerOptions& options);

}  // namespace exosim::harness
