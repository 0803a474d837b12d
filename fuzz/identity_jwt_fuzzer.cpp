// FZ (issue 14): the JWT parser and the SMTP verifier. Properties: base64url is canonical
// (decode(encode(x)) == x, encode(decode(t)) == t); any input gets a verdict with a reason;
// claims from the input, signed by the service's key, are judged without crashing.
#include <boost/json.hpp>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "fuzz_input.hpp"
#include "identity/identity_service.hpp"
#include "identity/jwt.hpp"
#include "../tests/unit/identity/support/fake_crypto.hpp"
#include "policy/virtual_clock.hpp"

using namespace exosim::identity;

namespace {

struct World {
    testing::FakeCrypto crypto;
    testing::MemoryLog log;
    std::shared_ptr<exosim::policy::VirtualClock> clock = std::make_shared<exosim::policy::VirtualClock>(
        std::chrono::system_clock::time_point(std::chrono::seconds(1796464800)));
    IdentityService service{default_identity_directory(std::make_shared<const exosim::policy::Directory>(
                                                           exosim::policy::default_directory())),
                            clock, crypto, log, IdentitySettings{}};
    std::shared_ptr<const exosim::policy::TokenVerifier> verifier = service.smtp_verifier();
};

World& world() {
    static World w;
    return w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    if (base64url_decode(base64url_encode(in)) != std::string(in)) std::abort();
    if (auto d = base64url_decode(in); d && base64url_encode(*d) != in) std::abort();
    World& w = world();
    const JwtParse p = parse_jwt(in);
    if (p.jwt.has_value() != (p.error == JwtError::none)) std::abort();
    auto c = w.verifier->check(in, "printer@contoso.com", *w.clock);
    if (!c.ok() && c.reason.empty()) std::abort();
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(in, ec);
    if (!ec && v.is_object()) {
        const std::string signed_token =
            sign_jwt({{"typ", "JWT"}, {"alg", "RS256"}, {"kid", w.crypto.current_kid()}}, v.as_object(), w.crypto);
        c = w.verifier->check(signed_token, "printer@contoso.com", *w.clock);
        if (!c.ok() && c.reason.empty()) std::abort();
    }
    return 0;
}
