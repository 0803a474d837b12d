#include "transport/session_id.hpp"

#include <cstdint>
#include <random>

#include "core/ascii.hpp"

namespace exosim::transport {

std::string new_session_id() {
    thread_local std::mt19937_64 engine{[] {
        std::random_device rd;
        std::seed_seq seq{rd(), rd(), rd(), rd()};
        return std::mt19937_64(seq);
    }()};
    std::uint64_t v = engine();
    std::string id;
    for (int shift = 56; shift >= 0; shift -= 8)
        core::ascii::append_hex(id, static_cast<unsigned char>(v >> shift), core::ascii::HexCase::upper);
    return id;
}

}  // namespace exosim::transport
