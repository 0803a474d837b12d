#pragma once
// The sign-in service's requests as the control API shows them (GET /api/v1/identity/requests,
// the WebSocket stream, metrics): a bounded, thread-safe log of the newest requests. The events
// never hold secrets (identity::IdentityEvent's contract), so nothing is redacted here.
#include <cstddef>
#include <deque>
#include <mutex>

#include <boost/json/value.hpp>

#include "identity/identity_event.hpp"

namespace exosim::control {

// The newest requests kept: a lab's devices over a day of polling fit; older ones are dropped.
inline constexpr std::size_t identity_requests_kept = 2000;

class IdentityRequests {
public:
    void record(const identity::IdentityEvent& event);
    // The newest first, at most `limit`.
    boost::json::value json(std::size_t limit) const;
    void clear();

private:
    mutable std::mutex mutex_;
    std::deque<identity::IdentityEvent> events_;
};

// {"type": "identity_request", "time", "method", "path", "grant", "client_id", "user", "ok",
//  "status"}, and when set: "error", "aadsts", "host", "scope", "retry_after", "interval",
//  "refresh_used", "refresh_issued" (fingerprints), "access_token_issued" with "expires_in".
boost::json::object identity_event_json(const identity::IdentityEvent& event);

}  // namespace exosim::control
