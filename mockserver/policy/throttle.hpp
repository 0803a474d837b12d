#pragma once
// Cross-session submission state for Exchange Online mailboxes: concurrent authenticated sessions,
// the rolling 24 h recipient quota, the 30 messages/min delay and smart lockout. One instance is
// shared by every session of the submission listeners (smtp.office365.com and smtp-legacy count
// towards the same mailbox); all members are thread-safe. Time always comes from the caller's clock.
#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace exosim::policy {

using TimePoint = std::chrono::system_clock::time_point;

struct ThrottleLimits {
    // Reference §11 [DOC]: 3 concurrent SMTP AUTH connections per mailbox; the 4th gets 432 4.3.2.
    std::size_t max_concurrent_sessions = 3;
    // Reference §11 [DOC]: 10,000 recipients per mailbox per rolling 24 h.
    std::size_t recipients_per_window = 10000;
    std::chrono::seconds recipient_window{std::chrono::hours(24)};
    // Reference §11 [DOC]: 30 messages/min; the excess is delayed, never rejected.
    std::size_t messages_per_minute = 30;
    // Entra smart lockout (INFER, §4 "account locked" row): locked after this many failures ...
    unsigned lockout_threshold = 10;
    // ... for this long after the last failure.
    std::chrono::seconds lockout_duration{60};
};

class SubmissionState;

// RAII registration of one authenticated session for one mailbox; releases the slot when destroyed.
class SessionSlot {
public:
    SessionSlot() = default;
    SessionSlot(std::shared_ptr<SubmissionState> state, std::string mailbox, std::uint64_t ticket);
    SessionSlot(SessionSlot&& other) noexcept;
    SessionSlot& operator=(SessionSlot&& other) noexcept;
    SessionSlot(const SessionSlot&) = delete;
    SessionSlot& operator=(const SessionSlot&) = delete;
    ~SessionSlot();

    // True while fewer than max_concurrent_sessions older sessions of the mailbox are open.
    bool within_limit() const;
    bool active() const { return state_ != nullptr; }
    void release();

private:
    std::shared_ptr<SubmissionState> state_;
    std::string mailbox_;
    std::uint64_t ticket_ = 0;
};

class SubmissionState : public std::enable_shared_from_this<SubmissionState> {
public:
    explicit SubmissionState(ThrottleLimits limits = {});
    static std::shared_ptr<SubmissionState> create(ThrottleLimits limits = {});

    const ThrottleLimits& limits() const { return limits_; }

    // Concurrent sessions (the instance must be owned by a shared_ptr).
    SessionSlot open_session(std::string_view mailbox);
    std::size_t active_sessions(std::string_view mailbox) const;

    // Rolling recipient quota: adds `n` unless that would exceed the limit (then nothing is added).
    bool try_consume_recipients(std::string_view mailbox, std::size_t n, TimePoint now);
    std::size_t recipients_in_window(std::string_view mailbox, TimePoint now) const;

    // Message rate: records a submission at `now` and returns when it may be delivered (== now
    // while under the rate; later when the excess is carried over to following minutes).
    TimePoint schedule_message(std::string_view mailbox, TimePoint now);

    // Smart lockout.
    void record_auth_failure(std::string_view mailbox, TimePoint now);
    void record_auth_success(std::string_view mailbox);
    bool locked_out(std::string_view mailbox, TimePoint now) const;

    // Forget everything (control API reset).
    void clear();

private:
    friend class SessionSlot;
    void close_session(const std::string& mailbox, std::uint64_t ticket);
    bool slot_within_limit(const std::string& mailbox, std::uint64_t ticket) const;

    struct Failures {
        unsigned count = 0;
        TimePoint last{};
    };

    ThrottleLimits limits_;
    mutable std::mutex mutex_;
    std::uint64_t next_ticket_ = 1;
    std::map<std::string, std::vector<std::uint64_t>> sessions_;  // tickets in opening order
    std::map<std::string, std::deque<std::pair<TimePoint, std::size_t>>> recipients_;
    std::map<std::string, std::deque<TimePoint>> schedule_;  // last delivery slots, non-decreasing
    std::map<std::string, Failures> failures_;
};

}  // namespace exosim::policy
