#include "transport/session_id.hpp"

#include <cstdint>
#include <random>

namespace exosim::transport {

std::string new_session_id() {
    thread_local std::mt19937_64 engine{[] {
        std::random_device rd;
        std::seed_seq seq{rd(), rd(), rd(), rd()};
        return std::mt19937_64(seq);
    }()};
    static constexpr char digits[] = "0123456789ABCDEF";
    std::uint64_t v = engine();
    std::string id(16, '0');
    for (int i = 15; i >= 0; --i, v >>= 4) id[static_cast<std::size_t>(i)] = digits[v & 0xF];
    return id;
}

}  // namespace exosim::transport
