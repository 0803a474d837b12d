#include "scenario/wire_bytes.hpp"

#include <algorithm>

namespace exosim::scenario {

void WireBytes::append(std::string_view bytes, std::size_t read, Millis t, bool tls, std::size_t entry) {
    if (bytes.empty()) return;
    segments_.push_back({bytes_.size(), read, t, tls, {entry, 0}});
    bytes_.append(bytes);
}

const WireSegment& WireBytes::at(std::size_t offset) const {
    auto it = std::upper_bound(segments_.begin(), segments_.end(), offset,
                               [](std::size_t off, const WireSegment& s) { return off < s.start; });
    return *(it - 1);
}

std::size_t WireBytes::segment_end(std::size_t offset) const {
    auto it = std::upper_bound(segments_.begin(), segments_.end(), offset,
                               [](std::size_t off, const WireSegment& s) { return off < s.start; });
    return it == segments_.end() ? bytes_.size() : it->start;
}

WirePos WireBytes::pos_at(std::size_t offset) const {
    if (bytes_.empty()) return {};
    const WireSegment& s = at(std::min(offset, bytes_.size() - 1));
    return {s.pos.entry, s.pos.offset + (offset - s.start)};
}

void WireBytes::drop(std::size_t n) {
    n = std::min(n, bytes_.size());
    std::vector<WireSegment> kept;
    for (std::size_t i = 0; i < segments_.size(); ++i) {
        const std::size_t end = i + 1 < segments_.size() ? segments_[i + 1].start : bytes_.size();
        if (end <= n) continue;
        WireSegment s = segments_[i];
        if (s.start < n) {
            s.pos.offset += n - s.start;
            s.start = 0;
        } else {
            s.start -= n;
        }
        kept.push_back(s);
    }
    segments_ = std::move(kept);
    bytes_.erase(0, n);
}

}  // namespace exosim::scenario
