// fuzz-client's own parsers: case ids (property: a parsed id formats back to the same text when
// it is canonical, and re-parses to the same id) and sanitizer reports (never more frames than
// asked, never an empty frame).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz/fuzz_case.hpp"
#include "fuzz/oracle.hpp"

using namespace exosim::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    std::string error;
    if (auto id = parse_case_id(in, error)) {
        std::string again_error;
        const auto again = parse_case_id(format_case_id(*id), again_error);
        if (!again || !(*again == *id)) std::abort();
    } else if (error.empty()) {
        std::abort();  // a refusal always says why
    }
    (void)sanitizer_kind(in);
    for (const std::string& frame : sanitizer_frames(in, 3)) {
        if (frame.empty()) std::abort();
    }
    if (sanitizer_frames(in, 3).size() > 3) std::abort();
    return 0;
}
