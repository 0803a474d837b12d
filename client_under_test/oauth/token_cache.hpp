#pragma once
// The token cache a device keeps across runs (like sasl-xoauth2's {access_token, refresh_token,
// expiry}, reference entra-id-oauth.md §2): one JSON object per file. This is only its text form;
// cache_file.hpp reads and writes it atomically.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace exosim::client::oauth {

inline constexpr int cache_version = 1;
// Refresh this long before the access token expires (issue 13 "Refresh before expiry"): a token
// that expires during the SMTP session would be refused mid-job.
inline constexpr std::chrono::seconds refresh_margin{300};
// A cache file larger than this is not ours: refuse it rather than parse it.
inline constexpr std::size_t max_cache_bytes = 256 * 1024;

struct TokenCache {
    std::string authority;   // the entry is only used for the same authority, client and scope
    std::string client_id;
    std::string scope;
    std::string account;     // the token's user (upn), for XOAUTH2 user=
    std::string access_token;
    std::int64_t expires_at = 0;  // Unix seconds
    std::string refresh_token;    // always the newest one received
    std::int64_t refreshed_at = 0;  // when the refresh token was last received

    bool matches(std::string_view authority_, std::string_view client_id_, std::string_view scope_) const {
        return authority == authority_ && client_id == client_id_ && scope == scope_;
    }
};

// True while the cached access token has more than refresh_margin left at `now` (Unix seconds).
bool access_token_fresh(const TokenCache& cache, std::int64_t now);

std::string serialize_cache(const TokenCache& cache);
// nullopt with `why` set for anything that is not a cache this version wrote (never throws).
std::optional<TokenCache> parse_cache(std::string_view text, std::string& why);

}  // namespace exosim::client::oauth
