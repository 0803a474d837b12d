#include "control/identity_requests.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "control/event_json.hpp"

namespace exosim::control {

void IdentityRequests::record(const identity::IdentityEvent& event) {
    std::lock_guard lock(mutex_);
    events_.push_back(event);
    while (events_.size() > identity_requests_kept) events_.pop_front();
}

boost::json::value IdentityRequests::json(std::size_t limit) const {
    boost::json::array out;
    std::lock_guard lock(mutex_);
    for (auto it = events_.rbegin(); it != events_.rend() && out.size() < limit; ++it)
        out.push_back(identity_event_json(*it));
    return boost::json::object{{"requests", std::move(out)}};
}

void IdentityRequests::clear() {
    std::lock_guard lock(mutex_);
    events_.clear();
}

boost::json::object identity_event_json(const identity::IdentityEvent& e) {
    boost::json::object o{{"type", "identity_request"}, {"time", utc_text(e.time)}, {"method", e.method},
                          {"path", e.path},  {"grant", e.grant},           {"client_id", e.client_id},
                          {"user", e.user},  {"ok", e.ok},                 {"status", e.status}};
    if (!e.error.empty()) o["error"] = e.error;
    if (e.aadsts != 0) o["aadsts"] = e.aadsts;
    // What certify's timeline shows, so a lab watching the API sees the same facts: the host the
    // device asked for, the scope, the pacing the service handed out, and refresh tokens by
    // fingerprint (never the token).
    if (!e.host.empty()) o["host"] = e.host;
    if (!e.scope.empty()) o["scope"] = e.scope;
    if (e.retry_after != 0) o["retry_after"] = e.retry_after;
    if (e.interval != 0) o["interval"] = e.interval;
    if (!e.refresh_used.empty()) o["refresh_used"] = e.refresh_used;
    if (!e.refresh_issued.empty()) o["refresh_issued"] = e.refresh_issued;
    if (e.access_token_issued) {
        o["access_token_issued"] = true;
        o["expires_in"] = e.expires_in;
    }
    return o;
}

}  // namespace exosim::control
