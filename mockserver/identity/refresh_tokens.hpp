#pragma once
// Refresh tokens (reference §6): opaque, rotated on every use while earlier ones stay valid,
// expiring after 90 days without use, revocable per user. Kept in memory and journalled to the
// DurableLog (one JSON record per token response / revocation, holding only SHA-256 of the token)
// before the response leaves, so a restart keeps every device's token.
//
// A token response is written in three steps so the fdatasync runs outside the service's lock and
// concurrent grants share one group commit: prepare (under the lock: draw the token, build the
// record, change nothing), append (no lock), commit (under the lock: the grant becomes usable).
// Until commit the token exists only in the response being held back, so nobody can present it;
// a failed append drops it.
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

// One token response's durable write: the grant it issues and/or the grant it used.
struct RefreshWrite {
    std::string issued_hash;            // hex SHA-256 of the new token ("" when none)
    std::optional<RefreshGrant> issued;
    std::string used_hash;              // the presented token's hash ("" when none)
    TimePoint used_at;

    bool empty() const { return !issued && used_hash.empty(); }
    std::string record() const;         // one JSON object, no newline
};

class RefreshTokenStore {
public:
    RefreshTokenStore(DurableLog& log, const Crypto& crypto) : log_(log), crypto_(crypto) {}

    // Replays the log, then compacts it to one record per grant (start-up).
    void load();
    // A new token for `grant`, added to `w`; unknown to find() until commit(w).
    std::string prepare_issue(RefreshGrant grant, RefreshWrite& w) const;
    // Records in `w` that `token` was used at `now` (inactivity restarts at commit).
    void prepare_use(std::string_view token, TimePoint now, RefreshWrite& w) const;
    // Makes `w` durable; needs no lock (DurableLog is thread-safe). Throws when it is not durable.
    void append(const RefreshWrite& w) { log_.append(w.record()); }
    // Applies `w` once append(w) returned.
    void commit(const RefreshWrite& w);
    // The grant of `token`, or nullptr when unknown.
    const RefreshGrant* find(std::string_view token) const;
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
