#pragma once
// Per-client token buckets on an injected clock (no clock reads here): `capacity` answers at
// once, refilled at `per_second`. Sans-I/O, std only.
#include <chrono>
#include <cstddef>
#include <string>
#include <unordered_map>

namespace exosim::lab {

class TokenBuckets {
public:
    using Clock = std::chrono::steady_clock;
    TokenBuckets(double capacity, double per_second, std::size_t max_clients)
        : capacity_(capacity), per_second_(per_second), max_clients_(max_clients) {}

    // Takes one token for `client` at `now`; false when its bucket is empty (over the limit).
    bool take(const std::string& client, Clock::time_point now);
    std::size_t tracked() const { return buckets_.size(); }

private:
    struct Bucket {
        double tokens;
        Clock::time_point at;
    };
    double refill(const Bucket& b, Clock::time_point now) const;
    void forget_full(Clock::time_point now);

    double capacity_;
    double per_second_;
    std::size_t max_clients_;
    std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace exosim::lab
