#include "transport/connection_limits.hpp"

namespace exosim::transport {

std::pair<std::optional<ConnectionLimits::Slot>, ConnectionLimits::Refusal> ConnectionLimits::try_acquire(
    const std::string& client) {
    {
        std::lock_guard lock(mutex_);
        if (total_ >= limits_.max_connections) return {std::nullopt, Refusal::listener_full};
        std::size_t& mine = per_client_[client];
        if (mine >= limits_.max_connections_per_client) {
            if (mine == 0) per_client_.erase(client);
            return {std::nullopt, Refusal::client_full};
        }
        ++mine;
        ++total_;
    }
    return {Slot(shared_from_this(), client), Refusal::none};
}

void ConnectionLimits::release(const std::string& client) {
    std::lock_guard lock(mutex_);
    --total_;
    if (auto it = per_client_.find(client); it != per_client_.end() && --it->second == 0) per_client_.erase(it);
}

std::size_t ConnectionLimits::total() const {
    std::lock_guard lock(mutex_);
    return total_;
}

std::size_t ConnectionLimits::for_client(const std::string& client) const {
    std::lock_guard lock(mutex_);
    auto it = per_client_.find(client);
    return it == per_client_.end() ? 0 : it->second;
}

}  // namespace exosim::transport
