// FZ (issue 14): the private_key_jwt client assertion check. Any input is judged without a crash;
// claims from the input, correctly signed with the registered certificate, are judged too, and
// an accepted assertion's jti is never accepted twice.
#include <boost/json.hpp>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>

#include "identity/client_assertion.hpp"
#include "identity/jwt.hpp"
#include "../tests/unit/identity/support/fake_crypto.hpp"

using namespace exosim::identity;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    static testing::FakeCrypto crypto;
    static const std::string pem = testing::fake_certificate("fuzz");
    std::set<std::string> seen;
    AssertionContext ctx;
    ctx.client_id = "6a8c0e2f-4d1b-4f3a-9c5e-7b9d1f3a5c44";
    ctx.audiences = {"https://login.microsoftonline.com/contoso.com/oauth2/v2.0/token"};
    ctx.certificates_pem = {pem};
    ctx.now = std::chrono::system_clock::time_point(std::chrono::seconds(1796464800));
    ctx.consume_jti = [&seen](std::string_view jti, std::int64_t) { return seen.emplace(jti).second; };
    (void)check_client_assertion(in, ctx, crypto);
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(in, ec);
    if (ec || !v.is_object()) return 0;
    const boost::json::object header{{"alg", "RS256"}, {"x5t", testing::FakeCrypto::x5t_of(pem)}};
    const std::string input = base64url_encode(boost::json::serialize(header)) + "." +
                              base64url_encode(boost::json::serialize(v.as_object()));
    const std::string assertion = input + "." + base64url_encode(testing::fake_certificate_signature(pem, input));
    const bool first = !check_client_assertion(assertion, ctx, crypto).has_value();
    const bool second = !check_client_assertion(assertion, ctx, crypto).has_value();
    if (first && second) std::abort();  // replayed jti accepted
    return 0;
}
