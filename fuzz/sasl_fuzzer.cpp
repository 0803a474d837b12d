// FZ-06: base64 and the SASL codecs. Properties: decode(encode(x)) == x; a decoded string
// re-encodes to its input; PLAIN and XOAUTH2 round-trip through their formatters (length-safe,
// NULs included).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/base64.hpp"
#include "core/sasl.hpp"

using namespace exosim::core;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    if (base64_decode(base64_encode(in)) != std::string(in)) std::abort();
    if (auto d = base64_decode(in); d && base64_decode(base64_encode(*d)) != d) std::abort();
    const Credentials c = parse_plain(in);
    if (!c.user.empty() && c.user.find('\0') == std::string::npos && c.authzid.find('\0') == std::string::npos) {
        const Credentials again = parse_plain(format_plain(c.authzid, c.user, c.secret));
        if (again.user != c.user || again.secret != c.secret || again.authzid != c.authzid) std::abort();
    }
    for (const char* mech : {"PLAIN", "LOGIN", "XOAUTH2"}) {
        auto x = SaslExchange::create(mech);
        auto step = x->begin(in.substr(0, in.find('\n')));
        for (int i = 0; i < 3 && step.status == SaslExchange::Status::challenge; ++i) step = x->respond(in);
    }
    (void)parse_xoauth2(in);
    return 0;
}
