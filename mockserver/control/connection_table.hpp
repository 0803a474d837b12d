#pragma once
// Which HTTP connections an HTTP server keeps when it is full (sans-I/O, so the policy is a unit
// test). A full server does not refuse the newcomer: a lab device asking for a token must get
// through while hundreds of idle or slow-loris connections are open (issue 14, "Availability").
// It sheds, in this order:
//   1. the connection idle longest (keep-alive, between requests);
//   2. the connection whose request has been arriving longest (slowest in progress: a request
//      still incomplete after the longest time is the slowest by any measure);
// and never one being answered or upgraded (busy). When every connection is busy the newcomer
// is refused. The newest connections are shed last, so a prompt client that just connected
// keeps its slot while older slow ones go.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <unordered_map>

namespace exosim::control {

class ConnectionTable {
public:
    using Id = std::uint64_t;
    using Clock = std::chrono::steady_clock;
    enum class Phase {
        reading,  // a request (or the TLS handshake) is arriving; `since` = when it started
        idle,     // keep-alive, waiting for the next request; `since` = when it went idle
        busy,     // being answered, delayed or upgraded (WebSocket): never shed
    };

    struct Admission {
        std::optional<Id> id;    // the newcomer's id; empty: refused (every slot busy)
        std::optional<Id> shed;  // close this one to make room (already removed from the table)
    };

    explicit ConnectionTable(std::size_t capacity) : capacity_(capacity) {}

    // A new connection, reading from `now`.
    Admission admit(Clock::time_point now);
    // Phase changes; unknown ids (already shed) are ignored.
    void set_phase(Id id, Phase phase, Clock::time_point now);
    void remove(Id id);

    std::size_t size() const { return entries_.size(); }
    std::size_t capacity() const { return capacity_; }
    bool contains(Id id) const { return entries_.contains(id); }

private:
    struct Entry {
        Phase phase;
        Clock::time_point since;
    };
    std::optional<Id> victim() const;

    std::size_t capacity_;
    Id next_id_ = 1;
    std::unordered_map<Id, Entry> entries_;
};

}  // namespace exosim::control
