#include "control/event_hub.hpp"

#include <algorithm>

#include <boost/json/serialize.hpp>

#include "control/event_json.hpp"
#include "control/metrics.hpp"

namespace exosim::control {

EventQueue::EventQueue(std::size_t capacity, bool wire, std::function<void()> wake)
    : capacity_(capacity), wire_(wire), wake_(std::move(wake)) {}

void EventQueue::push(const std::shared_ptr<const std::string>& message) {
    bool was_empty = false;
    {
        std::lock_guard lock(mutex_);
        if (queue_.size() >= capacity_) {
            ++dropped_;
            ++dropped_total_;
            return;
        }
        was_empty = queue_.empty();
        queue_.push_back(message);
    }
    // One wake per batch: the writer drains everything queued when it runs.
    if (was_empty && wake_) wake_();
}

std::vector<std::shared_ptr<const std::string>> EventQueue::take() {
    std::lock_guard lock(mutex_);
    std::vector<std::shared_ptr<const std::string>> out;
    if (dropped_) {
        out.push_back(std::make_shared<const std::string>(
            boost::json::serialize(boost::json::object{{"type", "dropped"}, {"count", dropped_}})));
        dropped_ = 0;
    }
    out.insert(out.end(), std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
    queue_.clear();
    return out;
}

std::uint64_t EventQueue::dropped_total() const {
    std::lock_guard lock(mutex_);
    return dropped_total_;
}

void EventHub::add(std::shared_ptr<EventQueue> queue) {
    std::lock_guard lock(mutex_);
    if (queue->wants_wire()) ++wire_queues_;
    queues_.push_back(std::move(queue));
}

void EventHub::remove(const std::shared_ptr<EventQueue>& queue) {
    std::lock_guard lock(mutex_);
    auto it = std::remove(queues_.begin(), queues_.end(), queue);
    if (it != queues_.end() && queue->wants_wire()) --wire_queues_;
    queues_.erase(it, queues_.end());
}

bool EventHub::wants_wire() const {
    std::lock_guard lock(mutex_);
    return wire_queues_ != 0;
}

std::size_t EventHub::subscribers() const {
    std::lock_guard lock(mutex_);
    return queues_.size();
}

std::vector<std::shared_ptr<EventQueue>> EventHub::queues() const {
    std::lock_guard lock(mutex_);
    return queues_;
}

void EventHub::publish(const std::string& text, bool wire) {
    auto message = std::make_shared<const std::string>(text);
    for (const auto& q : queues()) {
        if (wire && !q->wants_wire()) continue;
        const std::uint64_t before = metrics_ ? q->dropped_total() : 0;
        q->push(message);
        if (metrics_ && q->dropped_total() != before) metrics_->add_events_dropped(q->dropped_total() - before);
    }
}

void EventHub::on_session_started(const transport::SessionRecord& record) {
    if (subscribers() == 0) return;
    publish(boost::json::serialize(lifecycle_json("session_started", record)), false);
}

void EventHub::on_session_event(const transport::SessionRecord& record, const transport::TimedEvent& event) {
    // Serialize nothing nobody reads (this runs on the session's I/O thread).
    if (is_wire_event(event) ? !wants_wire() : subscribers() == 0) return;
    publish(boost::json::serialize(event_json(record, event)), is_wire_event(event));
}

void EventHub::on_session_ended(const transport::SessionRecord& record) {
    if (subscribers() == 0) return;
    publish(boost::json::serialize(lifecycle_json("session_ended", record)), false);
}

}  // namespace exosim::control
