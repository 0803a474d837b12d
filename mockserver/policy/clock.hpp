#pragma once
// The time source of every policy decision that depends on time (throttles, token expiry, reply
// timestamps). Injected, never read from globals, so tests cross a day without sleeping.
#include <chrono>

namespace exosim::policy {

class Clock {
public:
    virtual ~Clock() = default;
    virtual std::chrono::system_clock::time_point now() const = 0;
    // How far a scenario has moved this clock past the time the clients live in (certify's
    // `identity: advance`). Tokens only the client reads and checks against its own clock (the
    // id_token: MSAL refuses one whose nbf is over 120 s ahead) are dated on the client's time.
    virtual std::chrono::seconds ahead_of_clients() const { return std::chrono::seconds{0}; }
};

// Wall-clock time: the default for `exosim serve`.
class RealClock final : public Clock {
public:
    std::chrono::system_clock::time_point now() const override { return std::chrono::system_clock::now(); }
};

}  // namespace exosim::policy
