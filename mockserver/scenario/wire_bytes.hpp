#pragma once
// A queue of bytes from one direction of a connection that remembers which read (or write) each
// byte came in, when, and where it sits in the trace: client_view consumes lines and bodies from
// the front and still knows the read boundary of every piece.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/client_view.hpp"

namespace exosim::scenario {

struct WireSegment {
    std::size_t start = 0;  // offset in bytes() where this read begins
    std::size_t read = 0;   // 1-based read/write number
    Millis t{0};
    bool tls = false;
    WirePos pos;            // trace position of bytes()[start]
};

class WireBytes {
public:
    void append(std::string_view bytes, std::size_t read, Millis t, bool tls, std::size_t entry);
    const std::string& bytes() const { return bytes_; }
    bool empty() const { return bytes_.empty(); }
    // The segment holding bytes()[offset]; offset must be < bytes().size().
    const WireSegment& at(std::size_t offset) const;
    // One past the last offset of the segment holding offset.
    std::size_t segment_end(std::size_t offset) const;
    WirePos pos_at(std::size_t offset) const;
    void drop(std::size_t n);

private:
    std::string bytes_;
    std::vector<WireSegment> segments_;
};

}  // namespace exosim::scenario
