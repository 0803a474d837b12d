#pragma once
// Concurrent-connection limits per listener and per client address (SR-23; Postfix
// smtpd_client_connection_count_limit, default 50). Thread-safe: slots are taken on the accepting
// thread and released on the session's thread.
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "transport/listener_config.hpp"

namespace exosim::transport {

class ConnectionLimits : public std::enable_shared_from_this<ConnectionLimits> {
public:
    explicit ConnectionLimits(ListenerLimits limits) : limits_(limits) {}

    // Holds one connection's place; releases it when destroyed.
    class Slot {
    public:
        Slot(std::shared_ptr<ConnectionLimits> owner, std::string client)
            : owner_(std::move(owner)), client_(std::move(client)) {}
        Slot(Slot&&) noexcept = default;
        Slot& operator=(Slot&&) = delete;
        ~Slot() { if (owner_) owner_->release(client_); }

    private:
        std::shared_ptr<ConnectionLimits> owner_;
        std::string client_;
    };

    enum class Refusal { none, listener_full, client_full };

    // A slot, or why there is none. `client` is the real peer address.
    std::pair<std::optional<Slot>, Refusal> try_acquire(const std::string& client);

    std::size_t total() const;
    std::size_t for_client(const std::string& client) const;

private:
    void release(const std::string& client);

    ListenerLimits limits_;
    mutable std::mutex mutex_;
    std::size_t total_ = 0;
    std::unordered_map<std::string, std::size_t> per_client_;
};

}  // namespace exosim::transport
