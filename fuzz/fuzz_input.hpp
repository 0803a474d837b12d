#pragma once
// A tiny stand-in for FuzzedDataProvider that compiles with GCC too (the replay build): takes
// integers from the front of the input and leaves the rest as payload.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace exosim::fuzz {

class FuzzInput {
public:
    FuzzInput(const std::uint8_t* data, std::size_t size) : data_(reinterpret_cast<const char*>(data), size) {}
    std::uint8_t byte() {
        if (data_.empty()) return 0;
        const auto b = static_cast<std::uint8_t>(data_.front());
        data_.remove_prefix(1);
        return b;
    }
    bool flag() { return (byte() & 1) != 0; }
    // Up to `max` octets (length from one byte), or everything left when `max` is 0.
    std::string_view take(std::size_t n) {
        n = n < data_.size() ? n : data_.size();
        const std::string_view out = data_.substr(0, n);
        data_.remove_prefix(n);
        return out;
    }
    std::string_view rest() { return take(data_.size()); }
    bool empty() const { return data_.empty(); }

private:
    std::string_view data_;
};

// The usual layout after the fuzzer's own control bytes: a length byte, that many chunk sizes,
// then the payload. A short input gives fewer sizes, never a read past its end.
struct Chunked {
    FuzzInput sizes;
    std::string_view payload;
};

inline Chunked chunked(FuzzInput& in) {
    const std::string_view sizes = in.take(in.byte());
    return {FuzzInput(reinterpret_cast<const std::uint8_t*>(sizes.data()), sizes.size()), in.rest()};
}

// Splits `payload` into chunks whose sizes are chosen by `ctl` (1..256 octets each).
template <class F>
void for_each_chunk(std::string_view payload, FuzzInput& ctl, F&& f) {
    while (!payload.empty()) {
        const std::size_t n = static_cast<std::size_t>(ctl.byte()) + 1;
        const std::string_view c = payload.substr(0, n);
        payload.remove_prefix(c.size());
        f(c);
    }
}

}  // namespace exosim::fuzz
