#pragma once
// A rough, static guess of how long a scenario keeps its worker busy, so `certify --jobs N` can
// start the long ones first (longest-processing-time-first scheduling): a suite whose slowest
// scenario sits near its end otherwise finishes that long after everything else. Only the order
// of the guesses matters; a wrong guess costs speed, never a verdict, and the reports keep the
// suite order whatever order the scenarios ran in.
//
// What makes a scenario slow is waiting, and the script says where: a reply that never comes
// (stall, an unfinished multi-line raw reply, a listener that never answers) costs the client's
// own timeout; delays and split replies cost their pauses; a certificate variant costs key
// generation; harness re-runs cost their backoff.
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "scenario/model.hpp"

namespace exosim::harness {

struct CostHints {
    std::chrono::milliseconds client_timeout{std::chrono::seconds(5)};  // what a stalled reply costs
    std::chrono::milliseconds rerun_backoff{200};                       // RunnerOptions::rerun_backoff
    // True for a listener that accepts and never answers (the implicit-TLS blackhole). May be unset.
    std::function<bool(const std::string& listener)> silent_listener;
};

std::chrono::milliseconds estimated_duration(const scenario::Scenario& scenario, const CostHints& hints);

// Indices of `scenarios`, longest estimate first; equal estimates keep the suite order.
std::vector<std::size_t> longest_first(const std::vector<std::shared_ptr<const scenario::Scenario>>& scenarios,
                                       const CostHints& hints);

}  // namespace exosim::harness
