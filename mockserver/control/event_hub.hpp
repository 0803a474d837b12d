#pragma once
// Fans session events out to WebSocket clients. The registry calls it on SMTP I/O threads, which
// must never wait for a client: each client has a bounded queue; when it is full the event is
// dropped and counted, and the client is told how many it missed before the next one it gets.
// No Asio here: the server gives each queue a `wake` callback that posts to its own thread.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "transport/registry.hpp"

namespace exosim::control {

class Metrics;

class EventQueue {
public:
    static constexpr std::size_t default_capacity = 1024;

    // `wire`: also stream raw bytes (WireChunk events), which are most of the volume.
    EventQueue(std::size_t capacity, bool wire, std::function<void()> wake);

    // Called by producers. Never blocks beyond the queue's own short lock.
    void push(const std::shared_ptr<const std::string>& message);
    // Everything queued, oldest first; when events were dropped since the last take, a
    // {"type":"dropped","count":N} message comes first.
    std::vector<std::shared_ptr<const std::string>> take();
    bool wants_wire() const { return wire_; }
    std::uint64_t dropped_total() const;

private:
    std::size_t capacity_;
    bool wire_;
    std::function<void()> wake_;
    mutable std::mutex mutex_;
    std::deque<std::shared_ptr<const std::string>> queue_;
    std::uint64_t dropped_ = 0;        // since the last take()
    std::uint64_t dropped_total_ = 0;
};

class EventHub : public transport::SessionObserver {
public:
    explicit EventHub(Metrics* metrics = nullptr) : metrics_(metrics) {}

    void add(std::shared_ptr<EventQueue> queue);
    void remove(const std::shared_ptr<EventQueue>& queue);
    std::size_t subscribers() const;
    bool wants_wire() const;

    // Sends `text` (a JSON document) to every subscriber (the sign-in service's requests).
    void publish_document(const std::string& text) { publish(text, false); }
    void on_session_started(const transport::SessionRecord& record) override;
    void on_session_event(const transport::SessionRecord& record, const transport::TimedEvent& event) override;
    void on_session_ended(const transport::SessionRecord& record) override;

private:
    void publish(const std::string& text, bool wire);
    std::vector<std::shared_ptr<EventQueue>> queues() const;

    Metrics* metrics_;
    mutable std::mutex mutex_;
    std::vector<std::shared_ptr<EventQueue>> queues_;
    std::size_t wire_queues_ = 0;  // subscribers that asked for raw bytes
};

}  // namespace exosim::control
