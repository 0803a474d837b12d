#pragma once
// The device-code polling rules (RFC 8628 3.4/3.5, reference entra-id-oauth.md §3) as a state
// machine: it is told each token-endpoint reply and how long the flow has run, and says what to do
// next. It never sleeps and never sends: the I/O layer waits and polls.
#include <chrono>
#include <cstdint>
#include <string>

#include "oauth/token_response.hpp"

namespace exosim::client::oauth {

// RFC 8628 3.5: "slow_down ... the interval MUST be increased by 5 seconds for this and all
// subsequent requests."
inline constexpr std::chrono::seconds slow_down_step{5};
// Transient failures (5xx, timeouts) while polling are retried at most this many times in a row.
inline constexpr int max_transient_polls = 3;
// --quirk poll-too-fast polls at this period whatever the server asked.
inline constexpr std::chrono::seconds too_fast_period{1};

enum class PollOutcome { wait_then_poll, success, declined, expired, bad_code, failed };

struct PollStep {
    PollOutcome outcome = PollOutcome::wait_then_poll;
    std::chrono::seconds wait{0};  // for wait_then_poll: how long before the next poll
    std::string reason;            // for the failures, a line for the user
};

class DevicePoll {
public:
    DevicePoll(const DeviceCode& code, bool poll_too_fast);
    // The first poll comes one interval after the code was shown.
    PollStep start() const;
    // The reply to the last poll, `elapsed` since the device code was issued.
    PollStep on_reply(const TokenReply& reply, std::chrono::seconds elapsed);
    bool finished() const { return finished_; }
    std::chrono::seconds interval() const { return interval_; }

private:
    PollStep wait(std::chrono::seconds at_least, std::chrono::seconds elapsed);
    PollStep finish(PollOutcome outcome, std::string reason);

    std::chrono::seconds interval_;
    std::chrono::seconds lifetime_;
    bool too_fast_;
    bool finished_ = false;
    int transient_in_a_row_ = 0;
};

}  // namespace exosim::client::oauth
