#include "lab/token_bucket.hpp"

#include <algorithm>

namespace exosim::lab {

double TokenBuckets::refill(const Bucket& b, Clock::time_point now) const {
    double elapsed = std::chrono::duration<double>(now - b.at).count();
    return std::min(capacity_, b.tokens + std::max(0.0, elapsed) * per_second_);
}

// A full bucket carries no state worth keeping: dropping it bounds memory when many clients
// (or spoofed UDP sources) appear.
void TokenBuckets::forget_full(Clock::time_point now) {
    std::erase_if(buckets_, [&](const auto& item) { return refill(item.second, now) >= capacity_; });
}

bool TokenBuckets::take(const std::string& client, Clock::time_point now) {
    auto it = buckets_.find(client);
    if (it == buckets_.end()) {
        if (buckets_.size() >= max_clients_) forget_full(now);
        if (buckets_.size() >= max_clients_) return false;  // table full of active clients: refuse newcomers
        it = buckets_.emplace(client, Bucket{capacity_, now}).first;
    }
    Bucket& b = it->second;
    b.tokens = refill(b, now);
    b.at = std::max(b.at, now);
    if (b.tokens < 1.0) return false;
    b.tokens -= 1.0;
    return true;
}

}  // namespace exosim::lab
