#pragma once
// A clock that only moves when told to (control API `POST /api/v1/clock/advance`, tests).
// Thread-safe: sessions read it while the control API advances it.
#include <chrono>
#include <mutex>

#include "policy/clock.hpp"

namespace exosim::policy {

class VirtualClock final : public Clock {
public:
    using time_point = std::chrono::system_clock::time_point;

    // Starts at the real current time.
    VirtualClock();
    explicit VirtualClock(time_point start);

    time_point now() const override;
    // Moves forward by `d` (negative durations are ignored: time never runs backwards).
    void advance(std::chrono::system_clock::duration d);
    // Jumps to `t` when it is later than now.
    void set(time_point t);

private:
    mutable std::mutex mutex_;
    time_point now_;
};

}  // namespace exosim::policy
