// Rule matching over the run's counters (security-tests.md (c): "reply 451 twice, then accept").
#include "scenario/cursor.hpp"

#include "core/ascii.hpp"

namespace exosim::scenario {

namespace {

// Recipients compare case-insensitively (domains are; Exchange treats local parts so too), and a
// rule may write the address with or without angle brackets.
std::string_view bare_address(std::string_view a) {
    if (a.size() >= 2 && a.front() == '<' && a.back() == '>') return a.substr(1, a.size() - 2);
    return a;
}

}  // namespace

Cursor::Cursor(std::shared_ptr<const Scenario> scenario)
    : scenario_(std::move(scenario)), uses_(scenario_->server.rules.size(), 0) {}

unsigned Cursor::begin_connection() {
    std::lock_guard lock(mutex_);
    return ++connections_;
}

unsigned Cursor::connections() const {
    std::lock_guard lock(mutex_);
    return connections_;
}

unsigned Cursor::occurrences(Step step) const {
    std::lock_guard lock(mutex_);
    return occurrences_[static_cast<std::size_t>(step)];
}

unsigned Cursor::uses(std::size_t index) const {
    std::lock_guard lock(mutex_);
    return uses_.at(index);
}

std::optional<std::size_t> Cursor::match(const MatchInput& in) {
    std::lock_guard lock(mutex_);
    const unsigned nth = ++occurrences_[static_cast<std::size_t>(in.step)];
    const auto& rules = scenario_->server.rules;
    for (std::size_t i = 0; i < rules.size(); ++i) {
        if (matches(rules[i].match, i, in, nth)) {
            ++uses_[i];
            return i;
        }
    }
    return std::nullopt;
}

// The probability draw comes last, so the random sequence depends only on which occurrences
// reach it: the same seed and the same client behaviour give the same faults.
bool Cursor::matches(const Match& m, std::size_t index, const MatchInput& in, unsigned nth) {
    if (m.step != Step::any && m.step != in.step) return false;
    if (m.attempt && *m.attempt != in.attempt) return false;
    if (m.nth && *m.nth != nth) return false;
    if (m.from_nth && nth < *m.from_nth) return false;
    if (m.after_tls && *m.after_tls != in.tls_active) return false;
    if (m.recipient && !core::ascii::iequals(bare_address(*m.recipient), bare_address(in.recipient))) return false;
    if (m.times && uses_[index] >= *m.times) return false;
    if (m.probability) {
        // 53 random bits scaled to [0, 1): unlike std::uniform_real_distribution, the same on every
        // standard library, so a seed replays the same faults wherever the harness runs.
        const double unit = static_cast<double>(rng(in.attempt)() >> 11) * 0x1.0p-53;
        if (!(unit < *m.probability)) return false;
    }
    return true;
}

std::mt19937_64& Cursor::rng(unsigned attempt) {
    auto it = rngs_.find(attempt);
    if (it == rngs_.end()) it = rngs_.emplace(attempt, std::mt19937_64(scenario_->server.seed + attempt)).first;
    return it->second;
}

}  // namespace exosim::scenario
