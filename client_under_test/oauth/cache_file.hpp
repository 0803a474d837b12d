#pragma once
// The token cache on disk. Writes are atomic (temporary file in the same directory, fsync, rename,
// fsync of the directory) so a power cut leaves the old cache or the new one, never half of each:
// a device that loses its refresh token needs a person to sign it in again.
#include <optional>
#include <stdexcept>
#include <string>

#include "oauth/token_cache.hpp"

namespace exosim::client::oauth {

// A cache file that exists and is not a cache, or a write that failed: the message names the file.
struct CacheError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// nullopt when the file does not exist; throws CacheError when it is unreadable or corrupt.
std::optional<TokenCache> load_cache(const std::string& path);
// Throws CacheError; the file is created with mode 0600 (it holds a refresh token).
void save_cache(const std::string& path, const TokenCache& cache);

}  // namespace exosim::client::oauth
