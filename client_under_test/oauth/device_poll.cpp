#include "oauth/device_poll.hpp"

#include <algorithm>

namespace exosim::client::oauth {

DevicePoll::DevicePoll(const DeviceCode& code, bool poll_too_fast)
    : interval_(std::max<std::int64_t>(1, code.interval)), lifetime_(code.expires_in), too_fast_(poll_too_fast) {}

PollStep DevicePoll::start() const {
    return {PollOutcome::wait_then_poll, too_fast_ ? too_fast_period : interval_, {}};
}

PollStep DevicePoll::finish(PollOutcome outcome, std::string reason) {
    finished_ = true;
    return {outcome, std::chrono::seconds{0}, std::move(reason)};
}

PollStep DevicePoll::wait(std::chrono::seconds at_least, std::chrono::seconds elapsed) {
    const std::chrono::seconds delay = too_fast_ ? too_fast_period : std::max(interval_, at_least);
    // Polling past the code's lifetime can only earn expired_token: stop here instead.
    if (elapsed + delay > lifetime_ + interval_) {
        return finish(PollOutcome::expired, "the device code expired before anyone signed in");
    }
    return {PollOutcome::wait_then_poll, delay, {}};
}

PollStep DevicePoll::on_reply(const TokenReply& reply, std::chrono::seconds elapsed) {
    // Never poll after success, nor after any end: the flow is over.
    if (finished_) return {PollOutcome::failed, std::chrono::seconds{0}, "the device flow has already ended"};
    if (std::holds_alternative<TokenSuccess>(reply)) return finish(PollOutcome::success, {});
    const TokenError& e = std::get<TokenError>(reply);
    if (e.kind != ErrorClass::transient) transient_in_a_row_ = 0;
    switch (e.kind) {
    case ErrorClass::pending: return wait(interval_, elapsed);
    case ErrorClass::slow_down:
        if (!too_fast_) interval_ += slow_down_step;
        return wait(interval_, elapsed);
    case ErrorClass::declined: return finish(PollOutcome::declined, "the sign-in was declined: " + describe(e));
    case ErrorClass::expired: return finish(PollOutcome::expired, "the device code expired: " + describe(e));
    case ErrorClass::bad_code: return finish(PollOutcome::bad_code, "the server does not know this device code: " + describe(e));
    case ErrorClass::transient:
        if (++transient_in_a_row_ > max_transient_polls) return finish(PollOutcome::failed, "the token endpoint keeps failing: " + describe(e));
        return wait(std::chrono::seconds(e.retry_after.value_or(0)), elapsed);
    case ErrorClass::sign_in_again:
    case ErrorClass::fatal: break;
    }
    return finish(PollOutcome::failed, describe(e));
}

}  // namespace exosim::client::oauth
