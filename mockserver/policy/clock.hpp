#pragma once
// The time source of every policy decision that depends on time (throttles, token expiry, reply
// timestamps). Injected, never read from globals, so tests cross a day without sleeping.
#include <chrono>

namespace exosim::policy {

class Clock {
public:
    virtual ~Clock() = default;
    virtual std::chrono::system_clock::time_point now() const = 0;
};

// Wall-clock time: the default for `exosim serve`.
class RealClock final : public Clock {
public:
    std::chrono::system_clock::time_point now() const override { return std::chrono::system_clock::now(); }
};

}  // namespace exosim::policy
