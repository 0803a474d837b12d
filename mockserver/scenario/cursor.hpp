#pragma once
// Per-run script state, shared by every connection of one scenario run: which connection (attempt)
// this is, how often each step has occurred, how often each rule has been used (`times`), and the
// seeded random numbers behind `probability`. Thread-safe: sessions on different strands share it.
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string_view>
#include <vector>

#include "scenario/model.hpp"

namespace exosim::scenario {

// What a rule is matched against at one step.
struct MatchInput {
    Step step = Step::any;
    unsigned attempt = 1;
    std::string_view recipient;  // RCPT forward-path address, empty otherwise
    bool tls_active = false;
};

class Cursor {
public:
    explicit Cursor(std::shared_ptr<const Scenario> scenario);

    // A new connection of the run: returns its 1-based attempt number. Attempts are numbered in the
    // order connections arrive; the harness runs one client attempt at a time, so for it attempt n
    // is the n-th connection.
    unsigned begin_connection();
    unsigned connections() const;

    // Counts one occurrence of `in.step` and returns the index of the first rule (in file order) that
    // matches it, using up one of that rule's `times`. nullopt: no rule applies.
    std::optional<std::size_t> match(const MatchInput& in);
    const Rule& rule(std::size_t index) const { return scenario_->server.rules[index]; }
    const Scenario& scenario() const { return *scenario_; }

    // How often `step` has occurred so far in the run.
    unsigned occurrences(Step step) const;
    // How often rule `index` has been applied so far in the run.
    unsigned uses(std::size_t index) const;

private:
    bool matches(const Match& m, std::size_t index, const MatchInput& in, unsigned nth);
    std::mt19937_64& rng(unsigned attempt);

    std::shared_ptr<const Scenario> scenario_;
    mutable std::mutex mutex_;
    unsigned connections_ = 0;
    std::array<unsigned, static_cast<std::size_t>(Step::any) + 1> occurrences_{};
    std::vector<unsigned> uses_;
    // One generator per attempt, seeded with seed + attempt: the faults of attempt n replay
    // identically from the seed, whatever other attempts did.
    std::map<unsigned, std::mt19937_64> rngs_;
};

}  // namespace exosim::scenario
