#include "policy/throttle.hpp"

#include <algorithm>

#include "policy/tenant.hpp"

namespace exosim::policy {

SessionSlot::SessionSlot(std::shared_ptr<SubmissionState> state, std::string mailbox, std::uint64_t ticket)
    : state_(std::move(state)), mailbox_(std::move(mailbox)), ticket_(ticket) {}

SessionSlot::SessionSlot(SessionSlot&& other) noexcept
    : state_(std::move(other.state_)), mailbox_(std::move(other.mailbox_)), ticket_(other.ticket_) {
    other.state_.reset();
}

SessionSlot& SessionSlot::operator=(SessionSlot&& other) noexcept {
    if (this != &other) {
        release();
        state_ = std::move(other.state_);
        mailbox_ = std::move(other.mailbox_);
        ticket_ = other.ticket_;
        other.state_.reset();
    }
    return *this;
}

SessionSlot::~SessionSlot() { release(); }

void SessionSlot::release() {
    if (state_) state_->close_session(mailbox_, ticket_);
    state_.reset();
}

bool SessionSlot::within_limit() const { return state_ && state_->slot_within_limit(mailbox_, ticket_); }

SubmissionState::SubmissionState(ThrottleLimits limits) : limits_(limits) {}

std::shared_ptr<SubmissionState> SubmissionState::create(ThrottleLimits limits) {
    return std::make_shared<SubmissionState>(limits);
}

SessionSlot SubmissionState::open_session(std::string_view mailbox) {
    const std::string key = lower(mailbox);
    std::uint64_t ticket = 0;
    {
        std::lock_guard lock(mutex_);
        ticket = next_ticket_++;
        sessions_[key].push_back(ticket);
    }
    return SessionSlot(shared_from_this(), key, ticket);
}

void SubmissionState::close_session(const std::string& mailbox, std::uint64_t ticket) {
    std::lock_guard lock(mutex_);
    auto it = sessions_.find(mailbox);
    if (it == sessions_.end()) return;
    std::erase(it->second, ticket);
    if (it->second.empty()) sessions_.erase(it);
}

bool SubmissionState::slot_within_limit(const std::string& mailbox, std::uint64_t ticket) const {
    std::lock_guard lock(mutex_);
    auto it = sessions_.find(mailbox);
    if (it == sessions_.end()) return true;
    const auto& tickets = it->second;
    const auto pos = std::find(tickets.begin(), tickets.end(), ticket);
    return static_cast<std::size_t>(pos - tickets.begin()) < limits_.max_concurrent_sessions;
}

std::size_t SubmissionState::active_sessions(std::string_view mailbox) const {
    std::lock_guard lock(mutex_);
    auto it = sessions_.find(lower(mailbox));
    return it == sessions_.end() ? 0 : it->second.size();
}

namespace {

// Sum of entries younger than `window`, dropping older ones.
std::size_t prune_and_sum(std::deque<std::pair<TimePoint, std::size_t>>& entries, TimePoint now,
                          std::chrono::seconds window) {
    while (!entries.empty() && entries.front().first + window <= now) entries.pop_front();
    std::size_t sum = 0;
    for (const auto& e : entries) sum += e.second;
    return sum;
}

}  // namespace

bool SubmissionState::try_consume_recipients(std::string_view mailbox, std::size_t n, TimePoint now) {
    std::lock_guard lock(mutex_);
    auto& entries = recipients_[lower(mailbox)];
    const std::size_t used = prune_and_sum(entries, now, limits_.recipient_window);
    if (used + n > limits_.recipients_per_window) return false;
    entries.emplace_back(now, n);
    return true;
}

std::size_t SubmissionState::recipients_in_window(std::string_view mailbox, TimePoint now) const {
    std::lock_guard lock(mutex_);
    auto it = recipients_.find(lower(mailbox));
    if (it == recipients_.end()) return 0;
    std::size_t sum = 0;
    for (const auto& e : it->second) {
        if (e.first + limits_.recipient_window > now) sum += e.second;
    }
    return sum;
}

// Any 60 s window holds at most messages_per_minute delivery slots: a new message is delivered at
// max(now, the slot messages_per_minute places back + 60 s). Slots stay non-decreasing.
TimePoint SubmissionState::schedule_message(std::string_view mailbox, TimePoint now) {
    std::lock_guard lock(mutex_);
    auto& slots = schedule_[lower(mailbox)];
    const std::size_t rate = std::max<std::size_t>(1, limits_.messages_per_minute);
    TimePoint at = now;
    if (!slots.empty()) at = std::max(at, slots.back());
    if (slots.size() >= rate) at = std::max(at, slots[slots.size() - rate] + std::chrono::minutes(1));
    slots.push_back(at);
    while (slots.size() > rate) slots.pop_front();
    return at;
}

void SubmissionState::record_auth_failure(std::string_view mailbox, TimePoint now) {
    std::lock_guard lock(mutex_);
    auto& f = failures_[lower(mailbox)];
    if (f.count >= limits_.lockout_threshold && f.last + limits_.lockout_duration <= now) f.count = 0;
    ++f.count;
    f.last = now;
}

void SubmissionState::record_auth_success(std::string_view mailbox) {
    std::lock_guard lock(mutex_);
    failures_.erase(lower(mailbox));
}

bool SubmissionState::locked_out(std::string_view mailbox, TimePoint now) const {
    std::lock_guard lock(mutex_);
    auto it = failures_.find(lower(mailbox));
    if (it == failures_.end() || limits_.lockout_threshold == 0) return false;
    return it->second.count >= limits_.lockout_threshold && now < it->second.last + limits_.lockout_duration;
}

void SubmissionState::clear() {
    std::lock_guard lock(mutex_);
    recipients_.clear();
    schedule_.clear();
    failures_.clear();
}

}  // namespace exosim::policy
