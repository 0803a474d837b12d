#pragma once
// `exosim certify --shard I/N`: which scenarios of a suite shard I of N runs. The split is by
// scenario id alone (a hash of it), so adding, removing or reordering scenarios elsewhere in a
// suite never moves a scenario to another shard, and every CI runner computes the same split
// without talking to the others. Shards are only roughly equal in size; the hash is frozen
// (shard_test.cpp pins values) because every runner of one pipeline must agree on it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace exosim::scenario {

// More shards than this is a typo, not a CI matrix (GitHub Actions caps a matrix at 256 jobs).
inline constexpr unsigned max_shards = 1000;

struct Shard {
    unsigned index = 1;  // I: 1..count
    unsigned count = 1;  // N: 1..max_shards
    bool operator==(const Shard&) const = default;
};

// "I/N" with 1 <= I <= N <= max_shards, decimal digits only. nullopt otherwise; `why` (may be null)
// then says what is wrong.
std::optional<Shard> parse_shard(std::string_view text, std::string* why = nullptr);
std::string shard_text(const Shard& shard);  // "I/N"

// The stable 64-bit hash of a scenario id the split uses (FNV-1a, then a splitmix64 finaliser so
// the low bits the modulo reads depend on every byte).
std::uint64_t scenario_id_hash(std::string_view id);
// 1-based index of the shard of `count` that runs scenario `id`. `count` must be >= 1.
unsigned shard_of(std::string_view id, unsigned count);
inline bool in_shard(std::string_view id, const Shard& shard) { return shard_of(id, shard.count) == shard.index; }

}  // namespace exosim::scenario
