// FZ (issue 14): the form/query decoder and the token endpoint behind it. Properties: any split
// of the input decodes to the same result; limits hold; decoded values re-encode and decode to
// themselves; the service answers every body with a response (never a crash or a hang).
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "fuzz_input.hpp"
#include "identity/form.hpp"
#include "identity/identity_service.hpp"
#include "../tests/unit/identity/support/fake_crypto.hpp"
#include "policy/virtual_clock.hpp"

using namespace exosim::identity;

namespace {

IdentityService& service() {
    static testing::FakeCrypto crypto;
    static testing::MemoryLog log;
    static IdentityService s(
        default_identity_directory(std::make_shared<const exosim::policy::Directory>(exosim::policy::default_directory()),
                                   testing::fake_certificate("fuzz")),
        std::make_shared<exosim::policy::VirtualClock>(std::chrono::system_clock::time_point(std::chrono::seconds(1796464800))),
        crypto, log, IdentitySettings{});
    return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    exosim::fuzz::FuzzInput in(data, size);
    const std::size_t split = in.byte();
    const std::string_view text = in.rest();
    FormLimits limits;
    limits.max_input = 4096;
    limits.max_parameters = 16;
    limits.max_name = 32;
    limits.max_value = 256;
    const FormResult whole = decode_form(text, limits);
    FormDecoder d(limits);
    const std::size_t at = split < text.size() ? split : text.size();
    d.feed(text.substr(0, at));
    d.feed(text.substr(at));
    const FormResult parts = d.finish();
    if (parts.error != whole.error || parts.params.items != whole.params.items) std::abort();
    if (whole.params.items.size() > limits.max_parameters) std::abort();
    for (const auto& [n, v] : whole.params.items) {
        if (n.size() > limits.max_name || v.size() > limits.max_value) std::abort();
        if (decode_form("x=" + percent_encode(v)).params.get("x") != v) std::abort();
    }
    HttpRequest r;
    r.method = "POST";
    r.target = "/common/oauth2/v2.0/token";
    r.headers = {{"Host", "login.microsoftonline.com"}, {"Content-Type", "application/x-www-form-urlencoded"}};
    r.body = std::string(text);
    if (service().handle(r).status == 0) std::abort();
    r.method = "GET";
    r.target = "/common/oauth2/v2.0/authorize?" + std::string(text);
    if (service().handle(r).status == 0) std::abort();
    return 0;
}
