#pragma once
// Prometheus counters fed by the session registry (text exposition format 0.0.4). A
// SessionObserver: called on SMTP I/O threads, so each update is a short locked increment.
#include <cstdint>
#include <map>
#include <utility>
#include <mutex>
#include <string>
#include <unordered_map>

#include "transport/registry.hpp"

namespace exosim::control {

class Metrics : public transport::SessionObserver {
public:
    void on_session_started(const transport::SessionRecord& record) override;
    void on_session_event(const transport::SessionRecord& record, const transport::TimedEvent& event) override;
    void on_session_ended(const transport::SessionRecord& record) override;

    // Counted by the WebSocket stream when a slow consumer's queue overflowed.
    void add_events_dropped(std::uint64_t n);
    void add_http_request(int status);
    // One sign-in service request, by grant (or endpoint) and outcome ("ok" or the OAuth error).
    void add_identity_request(const std::string& grant, const std::string& outcome);

    std::string render() const;

private:
    void count_messages(const transport::SessionRecord& record);

    mutable std::mutex mutex_;
    std::map<std::string, std::uint64_t> sessions_total_;   // by listener
    std::map<std::string, std::int64_t> sessions_active_;   // by listener
    std::map<std::string, std::uint64_t> messages_accepted_;  // by listener
    std::map<std::string, std::uint64_t> replies_;          // by class "2xx"
    std::map<std::string, std::uint64_t> auth_failures_;    // by mechanism
    std::map<std::string, std::uint64_t> tls_handshakes_;   // by version
    std::uint64_t tls_failures_ = 0;
    std::map<std::string, std::uint64_t> findings_;         // by rule
    std::uint64_t bytes_in_ = 0;
    std::uint64_t bytes_out_ = 0;
    std::uint64_t events_dropped_ = 0;
    std::map<std::pair<std::string, std::string>, std::uint64_t> identity_requests_;  // (grant, outcome)
    std::map<std::string, std::uint64_t> http_requests_;    // by status class
    std::unordered_map<std::string, std::size_t> messages_seen_;  // per active session
};

}  // namespace exosim::control
