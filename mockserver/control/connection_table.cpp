#include "control/connection_table.hpp"

namespace exosim::control {

std::optional<ConnectionTable::Id> ConnectionTable::victim() const {
    std::optional<Id> oldest_idle, oldest_reading;
    Clock::time_point idle_since{}, reading_since{};
    // Ties go to the lower id (the older connection), so the choice does not depend on hashing.
    auto older = [](Clock::time_point a, Id ida, Clock::time_point b, Id idb) { return a < b || (a == b && ida < idb); };
    for (const auto& [id, e] : entries_) {
        if (e.phase == Phase::idle && (!oldest_idle || older(e.since, id, idle_since, *oldest_idle))) {
            oldest_idle = id;
            idle_since = e.since;
        } else if (e.phase == Phase::reading && (!oldest_reading || older(e.since, id, reading_since, *oldest_reading))) {
            oldest_reading = id;
            reading_since = e.since;
        }
    }
    return oldest_idle ? oldest_idle : oldest_reading;
}

ConnectionTable::Admission ConnectionTable::admit(Clock::time_point now) {
    Admission a;
    if (capacity_ == 0) return a;
    if (entries_.size() >= capacity_) {
        a.shed = victim();
        if (!a.shed) return a;
        entries_.erase(*a.shed);
    }
    a.id = next_id_++;
    entries_.emplace(*a.id, Entry{Phase::reading, now});
    return a;
}

void ConnectionTable::set_phase(Id id, Phase phase, Clock::time_point now) {
    auto it = entries_.find(id);
    if (it == entries_.end()) return;
    it->second = Entry{phase, now};
}

void ConnectionTable::remove(Id id) { entries_.erase(id); }

}  // namespace exosim::control
