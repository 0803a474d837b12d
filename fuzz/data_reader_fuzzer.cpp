// FZ-03: the DATA reader against the strict reference splitter. Properties: same end offset (or both
// incomplete) in every mode and at every chunking; in strict CRLF input the content equals the
// reference unstuffer and dot_stuff(content) restores the wire; normalize output has no bare CR/LF.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/data_reader.hpp"
#include "fuzz_input.hpp"

using namespace exosim::core;

namespace {

bool strict_crlf(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) return false;
        if (s[i] == '\r' && (i + 1 >= s.size() || s[i + 1] != '\n')) return false;
    }
    return true;
}

bool no_bare(std::string_view s) { return strict_crlf(s); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    exosim::fuzz::FuzzInput ctl(data, size);
    const bool normalize = ctl.flag();
    const std::size_t chunk_seed = ctl.byte();
    const std::string_view wire = ctl.rest();
    DataReader r(normalize ? BareLineEnding::normalize : BareLineEnding::reject, 1 << 20);
    std::size_t used = 0;
    std::size_t step = chunk_seed % 17 + 1;
    for (std::size_t i = 0; i < wire.size() && !r.done(); i += step) used += r.feed(wire.substr(i, step));
    const std::size_t ref = reference_end_of_data(wire);
    if (ref == std::string_view::npos ? r.done() : (!r.done() || used != ref)) std::abort();
    if (!r.done()) return 0;
    const std::string_view body = wire.substr(0, ref == 3 ? 0 : ref - 3);
    if (normalize && !no_bare(r.content())) std::abort();
    if (!normalize && (r.bare_cr() || r.bare_lf()) == strict_crlf(body)) std::abort();
    if (strict_crlf(body)) {
        if (r.content() != reference_unstuff(body)) std::abort();
        const std::string restuffed = dot_stuff(r.content());
        if (reference_unstuff(restuffed) != r.content()) std::abort();
    }
    return 0;
}
