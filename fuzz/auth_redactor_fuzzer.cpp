// transport/auth_redactor: the client bytes of a session, cut into reads where the fuzzer says,
// with the engine's "in AUTH" flag per read. Properties, however the bytes are split:
//  - every read keeps its line endings (as many LF out as in), so read boundaries survive;
//  - each output line is its input line, or a prefix of it, the marker, and only the CRs of the
//    rest (nothing else of a redacted line is written);
//  - an "AUTH <mechanism> <initial response>" line never shows its initial response.
// Input: one byte of "in AUTH" flags (one bit per read, cycling), the chunk-size bytes' length,
// the chunk sizes, then the stream.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/ascii.hpp"
#include "fuzz_input.hpp"
#include "transport/auth_redactor.hpp"

namespace {

using exosim::transport::AuthRedactor;

void check(bool ok) {
    if (!ok) __builtin_trap();
}

std::vector<std::string_view> lines(std::string_view s) {
    std::vector<std::string_view> out;
    for (std::size_t end; (end = s.find('\n')) != std::string_view::npos; s.remove_prefix(end + 1)) {
        out.push_back(s.substr(0, end));
    }
    out.push_back(s);
    return out;
}

bool only_crs(std::string_view s) { return s.find_first_not_of('\r') == std::string_view::npos; }

// "AUTH" SP mechanism SP at least one octet other than CR: an initial response, unless it is
// already the marker (a client may send that text itself).
bool shows_initial_response(std::string_view line) {
    if (!exosim::core::ascii::istarts_with(line, "AUTH ")) return false;
    const std::size_t sp = line.find(' ', 5);
    if (sp == std::string_view::npos || only_crs(line.substr(sp + 1))) return false;
    // The redactor keeps a secret's CRs where they were, so "\r[redacted]\r" is a redacted line
    // too (a fuzzer found that one): compare with the CRs taken out.
    std::string rest;
    for (char c : line.substr(sp + 1))
        if (c != '\r') rest += c;
    return rest != AuthRedactor::marker;
}

void check_line(std::string_view in, std::string_view out) {
    if (in == out) {
        check(!shows_initial_response(in));
        return;
    }
    const std::size_t m = out.rfind(AuthRedactor::marker);  // the inserted one is the last
    check(m != std::string_view::npos && in.substr(0, m) == out.substr(0, m));
    check(only_crs(out.substr(m + AuthRedactor::marker.size())));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    exosim::fuzz::FuzzInput ctl(data, size);
    const std::uint8_t sasl_bits = ctl.byte();
    exosim::fuzz::Chunked in = exosim::fuzz::chunked(ctl);
    AuthRedactor redactor;
    std::string out;
    unsigned read = 0;
    exosim::fuzz::for_each_chunk(in.payload, in.sizes, [&](std::string_view c) {
        const std::string filtered = redactor.filter(c, ((sasl_bits >> (read++ % 8)) & 1) != 0);
        check(std::count(filtered.begin(), filtered.end(), '\n') == std::count(c.begin(), c.end(), '\n'));
        out += filtered;
    });
    const auto in_lines = lines(in.payload);
    const auto out_lines = lines(out);
    check(in_lines.size() == out_lines.size());
    for (std::size_t i = 0; i < in_lines.size(); ++i) check_line(in_lines[i], out_lines[i]);
    return 0;
}
