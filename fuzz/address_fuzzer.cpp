// FZ-07: Path parser. Properties: limits hold for every accepted path; consumed stays inside the
// input; "<" + str() + ">" parses to the same path (round trip).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/address.hpp"
#include "core/limits.hpp"

using namespace exosim::core;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const bool utf8 = (data[0] & 1) != 0;
    const std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
    const PathParse p = parse_path(in, utf8);
    if (!p.path) return 0;
    if (p.consumed > in.size() || p.consumed > limits::max_path) std::abort();
    if (p.path->null) return 0;
    const Mailbox& m = p.path->mailbox;
    if (m.local_part.size() > limits::max_local_part || m.domain.size() > limits::max_domain) std::abort();
    const PathParse again = parse_path("<" + p.path->str() + ">", utf8);
    if (!again.path || !(*again.path == *p.path)) std::abort();
    return 0;
}
