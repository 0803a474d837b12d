#include "policy/virtual_clock.hpp"

namespace exosim::policy {

VirtualClock::VirtualClock() : now_(std::chrono::system_clock::now()) {}
VirtualClock::VirtualClock(time_point start) : now_(start) {}

VirtualClock::time_point VirtualClock::now() const {
    std::lock_guard lock(mutex_);
    return now_;
}

void VirtualClock::advance(std::chrono::system_clock::duration d) {
    if (d <= d.zero()) return;
    std::lock_guard lock(mutex_);
    now_ += d;
}

void VirtualClock::set(time_point t) {
    std::lock_guard lock(mutex_);
    if (t > now_) now_ = t;
}

}  // namespace exosim::policy
