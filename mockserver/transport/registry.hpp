#pragma once
// Recent sessions and live session events, for the control API and the WebSocket stream.
// No Asio: sessions publish into it from their I/O threads; observers are called on those threads.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <list>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "core/events.hpp"
#include "transport/transport_note.hpp"

namespace exosim::transport {

enum class Direction { in, out };

// Bytes as they crossed the socket: one read or one write, boundaries preserved (the EAST
// `..` convention: buffering bugs are only visible when read boundaries are). AUTH secrets are
// already redacted.
struct WireChunk {
    Direction direction = Direction::in;
    std::string bytes;
    bool tls = false;
};

using SessionEventData = std::variant<core::Event, WireChunk, TransportNote>;

struct TimedEvent {
    std::chrono::milliseconds at{0};  // since the session was accepted
    SessionEventData data;
};

struct SessionRecord {
    std::string id;  // 16 upper-case hex digits
    std::string listener;
    std::string profile;
    std::string local_address;
    std::string client_address;
    std::string seen_address;
    std::chrono::system_clock::time_point started;
    std::optional<std::chrono::system_clock::time_point> ended;
    std::string tls_version = "none";
    std::string tls_cipher;
    std::string helo;
    std::string auth_identity;
    std::vector<core::Finding> findings;
    std::vector<std::string> message_ids;
    std::optional<CloseReason> close_reason;  // set when the session ends (or decides how it will)
    std::uint64_t bytes_in = 0;
    std::uint64_t bytes_out = 0;
    bool active() const { return !ended.has_value(); }
    // close_reason_name() of the reason, "" while there is none.
    std::string_view close_reason_text() const {
        return close_reason ? close_reason_name(*close_reason) : std::string_view{};
    }
};

// Subscribers (control API, WebSocket, verdict engine). Called on I/O threads, concurrently for
// different sessions and in order for one session: implementations must be thread-safe and quick.
class SessionObserver {
public:
    virtual ~SessionObserver() = default;
    virtual void on_session_started(const SessionRecord&) {}
    virtual void on_session_event(const SessionRecord&, const TimedEvent&) {}
    virtual void on_session_ended(const SessionRecord&) {}
};

// A per-session consumer created when the session starts (the JSON-lines transcript). Called only
// from that session's thread, so it needs no locking.
class SessionSink {
public:
    virtual ~SessionSink() = default;
    virtual void on_event(const SessionRecord&, const TimedEvent&) = 0;
    virtual void on_end(const SessionRecord&) {}
};
using SessionSinkFactory = std::function<std::unique_ptr<SessionSink>(const SessionRecord&)>;

class SessionRegistry {
public:
    using SubscriptionId = std::uint64_t;

    // Keeps every active session plus the `capacity` most recently ended ones.
    explicit SessionRegistry(std::size_t capacity = 1000);

    SubscriptionId subscribe(std::shared_ptr<SessionObserver> observer);
    void unsubscribe(SubscriptionId id);

    // Called by sessions.
    void started(const SessionRecord& record);
    void event(const SessionRecord& record, const TimedEvent& event);
    // Updates the stored snapshot (TLS, identity, message ids) without notifying.
    void update(const SessionRecord& record);
    void ended(const SessionRecord& record);

    // Queries (control API). Most recent first.
    std::vector<SessionRecord> recent(std::size_t max = SIZE_MAX) const;
    std::optional<SessionRecord> find(const std::string& id) const;
    std::size_t active_count() const;
    // Cheap check so sessions skip building events nobody reads.
    bool has_observers() const { return observer_count_.load(std::memory_order_relaxed) != 0; }

private:
    using ObserverList = std::vector<std::pair<SubscriptionId, std::shared_ptr<SessionObserver>>>;
    // Copy-on-write: a session takes the current list without a lock or a copy per event.
    std::shared_ptr<const ObserverList> observers() const { return observers_.load(); }
    void upsert(const SessionRecord& record);

    std::size_t capacity_;
    mutable std::mutex mutex_;
    std::list<SessionRecord> sessions_;  // oldest first
    std::unordered_map<std::string, std::list<SessionRecord>::iterator> by_id_;
    std::size_t ended_count_ = 0;
    std::mutex subscribe_mutex_;  // serializes subscribe/unsubscribe (writers of observers_)
    std::atomic<std::shared_ptr<const ObserverList>> observers_{std::make_shared<const ObserverList>()};
    SubscriptionId next_id_ = 1;
    std::atomic<std::size_t> observer_count_{0};
};

}  // namespace exosim::transport
