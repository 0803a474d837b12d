#include "scenario/shard.hpp"

#include <charconv>

namespace exosim::scenario {

namespace {

// Decimal digits only (no sign, no space); more than 9 digits is out of any range anyway.
std::optional<unsigned> number(std::string_view digits) {
    if (digits.empty() || digits.size() > 9) return std::nullopt;
    for (char c : digits)
        if (c < '0' || c > '9') return std::nullopt;
    unsigned value = 0;
    std::from_chars(digits.data(), digits.data() + digits.size(), value);
    return value;
}

std::optional<Shard> fail(std::string* why, std::string text) {
    if (why) *why = std::move(text);
    return std::nullopt;
}

}  // namespace

std::optional<Shard> parse_shard(std::string_view text, std::string* why) {
    const auto slash = text.find('/');
    if (slash == std::string_view::npos) return fail(why, "'" + std::string(text) + "' is not I/N (e.g. 2/4)");
    auto index = number(text.substr(0, slash));
    auto count = number(text.substr(slash + 1));
    if (!index || !count) return fail(why, "'" + std::string(text) + "' is not I/N (e.g. 2/4)");
    if (*count < 1 || *count > max_shards)
        return fail(why, "N must be 1 to " + std::to_string(max_shards) + ", not " + std::to_string(*count));
    if (*index < 1 || *index > *count)
        return fail(why, "I must be 1 to N (" + std::to_string(*count) + "), not " + std::to_string(*index));
    return Shard{*index, *count};
}

std::string shard_text(const Shard& shard) { return std::to_string(shard.index) + "/" + std::to_string(shard.count); }

std::uint64_t scenario_id_hash(std::string_view id) {
    std::uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a 64 offset basis
    for (char c : id) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ull;  // FNV-1a 64 prime
    }
    // splitmix64 finaliser
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebull;
    h ^= h >> 31;
    return h;
}

unsigned shard_of(std::string_view id, unsigned count) {
    return static_cast<unsigned>(scenario_id_hash(id) % (count == 0 ? 1 : count)) + 1;
}

}  // namespace exosim::scenario
