#pragma once
// Refresh tokens (reference §6): opaque, rotated on every use while earlier ones stay valid,
// expiring after 90 days without use, revocable per user. Kept in memory and journalled to the
// DurableLog (one JSON record per issue / use / revocation, holding only SHA-256 of the token)
// before the response leaves, so a restart keeps every device's token.
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "identity/crypto.hpp"
#include "identity/durable_log.hpp"

namespace exosim::identity {

using TimePoint = std::chrono::system_clock::time_point;

struct RefreshGrant {
    std::string client_id;
    std::string tenant_id;
    std::string user;                 // lower-case address
    std::vector<std::string> scopes;  // as granted (full names, OIDC scopes included)
    TimePoint auth_time;              // the interactive sign-in behind it (sign-in frequency)
    TimePoint issued;
    TimePoint last_used;
    std::optional<TimePoint> revoked;  // when the user's grants were revoked
};

class RefreshTokenStore {
public:
    RefreshTokenStore(DurableLog& log, const Crypto& crypto) : log_(log), crypto_(crypto) {}

    // Replays the log, then compacts it to one record per grant (start-up).
    void load();
    // A new token for `grant` (journalled before it returns).
    std::string issue(RefreshGrant grant);
    // The grant of `token`, or nullptr when unknown.
    const RefreshGrant* find(std::string_view token) const;
    void mark_used(std::string_view token, TimePoint now);
    // Revokes every grant of `user` ("" = every user); returns how many were live.
    std::size_t revoke(std::string_view user, TimePoint now);
    std::size_t size() const { return grants_.size(); }

private:
    std::string hash(std::string_view token) const;
    void apply(const std::string& record);

    DurableLog& log_;
    const Crypto& crypto_;
    std::map<std::string, RefreshGrant> grants_;  // by hex SHA-256 of the token
};

}  // namespace exosim::identity
