// FZ-04: the reply parser fed in random pieces must agree with a whole-buffer parse, stay bounded, and
// complete a reply only on a valid final line. Input: one byte of flags, two seeding the split points,
// then the stream. No FuzzedDataProvider: the replay build uses GCC.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/reply_parser.hpp"

namespace {

using namespace exosim::core;

// Everything buffered between calls: one partial line plus the lines of one partial reply.
constexpr std::size_t max_pending = max_reply_line * (max_reply_lines + 1);

struct Run {
    std::vector<ParsedReply> replies;
    ReplyError error = ReplyError::none;
};

void check(bool ok) {
    if (!ok) __builtin_trap();
}

// Only a valid final line completes a reply: "ddd" or "ddd SP text", then CRLF (LF when lenient).
void check_reply(const ParsedReply& p, bool lenient) {
    check(p.reply.code >= 200 && p.reply.code <= 599);
    check(!p.reply.lines.empty() && p.reply.lines.size() <= max_reply_lines);
    check(p.raw.size() <= max_reply_line * max_reply_lines);
    check(p.raw.ends_with('\n') && (lenient || p.raw.ends_with("\r\n")));
    std::string_view raw = p.raw;
    raw.remove_suffix(raw.ends_with("\r\n") ? 2 : 1);
    std::size_t last = raw.rfind('\n');
    std::string_view line = last == std::string_view::npos ? raw : raw.substr(last + 1);
    check(line.size() == 3 || line[3] == ' ');
}

Run parse(std::string_view stream, std::uint32_t seed, bool whole, bool lenient) {
    ReplyParser parser(lenient);
    Run run;
    std::uint32_t state = seed;
    std::size_t pos = 0;
    while (pos < stream.size()) {
        state = state * 1103515245u + 12345u;
        std::size_t n = whole ? stream.size() : 1 + (state >> 16) % 97;
        parser.feed(stream.substr(pos, n));
        pos += n;
        while (auto r = parser.next()) {
            check_reply(*r, lenient);
            run.replies.push_back(std::move(*r));
        }
        check(parser.pending_bytes() <= max_pending);
    }
    run.error = parser.error();
    return run;
}

bool same(const Run& a, const Run& b) {
    if (a.error != b.error || a.replies.size() != b.replies.size()) return false;
    for (std::size_t i = 0; i < a.replies.size(); ++i) {
        if (!(a.replies[i].reply == b.replies[i].reply) || a.replies[i].raw != b.replies[i].raw) return false;
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 3) return 0;
    bool lenient = (data[0] & 1) != 0;
    std::uint32_t seed = data[1] | (data[2] << 8);
    std::string_view stream(reinterpret_cast<const char*>(data) + 3, size - 3);
    Run whole = parse(stream, seed, true, lenient);
    check(same(whole, parse(stream, seed, false, lenient)));
    check(same(whole, parse(stream, seed ^ 0x5a5a, false, lenient)));
    return 0;
}
