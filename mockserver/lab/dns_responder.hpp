#pragma once
// The lab DNS stub's answering logic: query bytes in, answer bytes out (or nothing). Never
// recurses or forwards: every answer comes from the Zone. Sans-I/O; the clock is a parameter.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "lab/dns_message.hpp"
#include "lab/dns_zone.hpp"
#include "lab/token_bucket.hpp"

namespace exosim::lab::dns {

// Answers per client address: a device resolving a handful of names at boot never waits, a
// client in a loop (or a reflection attempt with a spoofed source) is cut off. Over the limit the
// query is dropped silently, as BIND's response-rate limiting does (the client retries later).
struct RateLimit {
    double answers_per_second = 20;
    double burst = 40;
    std::size_t max_tracked_clients = 4096;
};

// Lab answers change when the lab does: short TTLs, so a device picks up a new address quickly.
inline constexpr std::uint32_t answer_ttl = 60;
// RFC 2308 5: the SOA MINIMUM field is the TTL of negative answers.
inline constexpr std::uint32_t negative_ttl = 60;

enum class Via { udp, tcp };

struct ResponderStats {
    std::uint64_t answered = 0;
    std::uint64_t refused = 0;
    std::uint64_t nxdomain = 0;
    std::uint64_t malformed = 0;     // FORMERR sent, or too short to answer
    std::uint64_t rate_limited = 0;  // dropped
};

class Responder {
public:
    explicit Responder(Zone zone, RateLimit limit = {});

    // The answer to one message from `client` (an address), or nullopt: nothing is sent (rate
    // limited, a response rather than a query, or fewer than 12 octets). UDP answers are at most
    // 512 octets (TC set when cut).
    std::optional<std::string> answer(std::string_view message, const std::string& client,
                                      std::chrono::steady_clock::time_point now, Via via);
    const ResponderStats& stats() const { return stats_; }

private:
    Response respond(const Query& q);
    void add_records(const std::string& name, std::uint16_t qtype, const Question& q, Response& r) const;
    const std::string* owning_zone(const std::string& name) const;
    ResourceRecord soa(const std::string& zone) const;

    Zone zone_;
    TokenBuckets buckets_;
    ResponderStats stats_;
};

}  // namespace exosim::lab::dns
