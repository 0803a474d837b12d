// The OAuth client's parsers (client_under_test/oauth): token and device-code replies, the token
// cache text, form/query decoding and the authority, and the device polling machine driven by
// parsed replies. Byte 0 picks the target, the rest is its input. Properties: a cache that parses
// serialises and parses back the same; a decoded form re-encodes and decodes to the same pairs;
// polling never asks for another poll once finished, and never waits less than a second.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "oauth/authority.hpp"
#include "oauth/device_poll.hpp"
#include "oauth/form.hpp"
#include "oauth/token_cache.hpp"
#include "oauth/token_response.hpp"

namespace {

using namespace exosim::client::oauth;

void check(bool ok) {
    if (!ok) __builtin_trap();
}

HttpAnswer answer(std::string_view in) {
    HttpAnswer a;
    a.status = in.empty() ? 0 : 200 + (static_cast<unsigned char>(in[0]) % 4) * 100;  // 200/300/400/500
    const std::size_t nl = in.find('\n');
    a.retry_after = std::string(in.substr(in.empty() ? 0 : 1, nl == std::string_view::npos ? 0 : nl - 1));
    a.body = std::string(nl == std::string_view::npos ? in : in.substr(nl + 1));
    return a;
}

void cache_round_trip(std::string_view in) {
    std::string why;
    auto c = parse_cache(in, why);
    if (!c) return check(!why.empty());
    auto back = parse_cache(serialize_cache(*c), why);
    check(back && back->refresh_token == c->refresh_token && back->expires_at == c->expires_at &&
          back->access_token == c->access_token && back->account == c->account);
}

void form_round_trip(std::string_view in) {
    auto p = form_decode(in);
    if (!p) return;
    auto again = form_decode(form_encode(*p));
    check(again && *again == *p);
}

// Replies separated by 0xFF, each an `answer`.
void poll(std::string_view in) {
    DeviceCode code;
    code.interval = in.empty() ? 5 : static_cast<unsigned char>(in[0]) % 20;
    code.expires_in = 900;
    DevicePoll p(code, !in.empty() && (in[0] & 0x80));
    std::chrono::seconds elapsed{0};
    while (!in.empty()) {
        const std::size_t cut = in.find('\xFF');
        const TokenReply r = parse_token_reply(answer(in.substr(0, cut)));
        in = cut == std::string_view::npos ? std::string_view{} : in.substr(cut + 1);
        const bool was_finished = p.finished();
        const PollStep s = p.on_reply(r, elapsed);
        if (was_finished) check(s.outcome != PollOutcome::wait_then_poll);
        if (s.outcome == PollOutcome::wait_then_poll) check(s.wait >= std::chrono::seconds(1));
        elapsed += s.wait;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
    std::string why;
    switch (data[0] % 6) {
    case 0: parse_token_reply(answer(in)); break;
    case 1: parse_device_code_reply(answer(in)); break;
    case 2: cache_round_trip(in); break;
    case 3: form_round_trip(in); break;
    case 4: parse_authority(in, why); break;
    case 5: poll(in); break;
    }
    return 0;
}
