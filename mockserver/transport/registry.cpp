#include "transport/registry.hpp"

#include <algorithm>

namespace exosim::transport {

SessionRegistry::SessionRegistry(std::size_t capacity) : capacity_(capacity) {}

SessionRegistry::SubscriptionId SessionRegistry::subscribe(std::shared_ptr<SessionObserver> observer) {
    std::lock_guard lock(subscribe_mutex_);
    auto list = std::make_shared<ObserverList>(*observers_.load());
    list->emplace_back(next_id_, std::move(observer));
    observer_count_ = list->size();
    observers_.store(std::move(list));
    return next_id_++;
}

void SessionRegistry::unsubscribe(SubscriptionId id) {
    std::lock_guard lock(subscribe_mutex_);
    auto list = std::make_shared<ObserverList>(*observers_.load());
    std::erase_if(*list, [id](const auto& entry) { return entry.first == id; });
    observer_count_ = list->size();
    observers_.store(std::move(list));
}

void SessionRegistry::upsert(const SessionRecord& record) {
    std::lock_guard lock(mutex_);
    if (auto it = by_id_.find(record.id); it != by_id_.end()) {
        bool was_ended = !it->second->active();
        *it->second = record;
        if (!was_ended && !record.active()) ++ended_count_;
    } else {
        sessions_.push_back(record);
        by_id_.emplace(record.id, std::prev(sessions_.end()));
        if (!record.active()) ++ended_count_;
    }
    // Evict the oldest ended sessions beyond capacity; active ones always stay.
    for (auto it = sessions_.begin(); ended_count_ > capacity_ && it != sessions_.end();) {
        if (it->active()) {
            ++it;
            continue;
        }
        by_id_.erase(it->id);
        it = sessions_.erase(it);
        --ended_count_;
    }
}

void SessionRegistry::started(const SessionRecord& record) {
    upsert(record);
    if (!has_observers()) return;
    auto list = observers();  // held: a range-for over *observers() would dangle
    for (const auto& [id, o] : *list) o->on_session_started(record);
}

void SessionRegistry::event(const SessionRecord& record, const TimedEvent& event) {
    if (!has_observers()) return;
    auto list = observers();  // held: a range-for over *observers() would dangle
    for (const auto& [id, o] : *list) o->on_session_event(record, event);
}

void SessionRegistry::update(const SessionRecord& record) { upsert(record); }

void SessionRegistry::ended(const SessionRecord& record) {
    upsert(record);
    if (!has_observers()) return;
    auto list = observers();  // held: a range-for over *observers() would dangle
    for (const auto& [id, o] : *list) o->on_session_ended(record);
}

std::vector<SessionRecord> SessionRegistry::recent(std::size_t max) const {
    std::lock_guard lock(mutex_);
    std::vector<SessionRecord> out;
    for (auto it = sessions_.rbegin(); it != sessions_.rend() && out.size() < max; ++it) out.push_back(*it);
    return out;
}

std::optional<SessionRecord> SessionRegistry::find(const std::string& id) const {
    std::lock_guard lock(mutex_);
    if (auto it = by_id_.find(id); it != by_id_.end()) return *it->second;
    return std::nullopt;
}

std::size_t SessionRegistry::active_count() const {
    std::lock_guard lock(mutex_);
    return sessions_.size() - ended_count_;
}

}  // namespace exosim::transport
