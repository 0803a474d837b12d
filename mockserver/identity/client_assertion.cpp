#include "identity/client_assertion.hpp"

#include <boost/json.hpp>

#include "identity/jwt.hpp"
#include "identity/responses.hpp"
#include "policy/tenant.hpp"

namespace exosim::identity {

namespace {

AadError bad(std::string reason) { return aad_error(700027, {std::move(reason)}); }

// The registered certificate the header names, or nullptr.
const std::string* named_certificate(const Jwt& jwt, const AssertionContext& ctx, const Crypto& crypto,
                                     std::string& why) {
    const std::string_view x5t = string_claim(jwt.header, "x5t");
    const std::string_view x5t256 = string_claim(jwt.header, "x5t#S256");
    if (x5t.empty() && x5t256.empty()) {
        why = "The assertion header names no certificate (x5t or x5t#S256).";
        return nullptr;
    }
    for (const std::string& pem : ctx.certificates_pem) {
        const auto info = crypto.inspect_certificate(pem);
        if (!info) continue;
        if ((!x5t.empty() && info->x5t == x5t) || (!x5t256.empty() && info->x5t_s256 == x5t256)) {
            if (ctx.now > info->not_after || ctx.now < info->not_before) {
                why = "The certificate used to sign the assertion is outside its validity period.";
                return nullptr;
            }
            return &pem;
        }
    }
    why = "The key was not found., Thumbprint of key used by client: '" + std::string(x5t.empty() ? x5t256 : x5t) + "'";
    return nullptr;
}

std::optional<AadError> check_times(const Jwt& jwt, const AssertionContext& ctx) {
    const auto exp = time_claim(jwt.payload, "exp");
    if (!exp) return aad_error(90014, {"exp"});
    const auto nbf = time_claim(jwt.payload, "nbf");
    const std::int64_t now = unix_seconds(ctx.now);
    const std::int64_t skew = ctx.skew.count();
    if (now > *exp + skew || (nbf && *nbf > now + skew)) {
        const auto stamp = [](std::int64_t t) { return entra_timestamp(TimePoint(std::chrono::seconds(t))); };
        return aad_error(700024, {stamp(now), nbf ? stamp(*nbf) : std::string("(none)"), stamp(*exp)});
    }
    return std::nullopt;
}

}  // namespace

std::optional<AadError> check_client_assertion(std::string_view assertion, const AssertionContext& ctx,
                                               const Crypto& crypto) {
    const JwtParse parsed = parse_jwt(assertion);
    if (!parsed.jwt) return bad("The assertion is not a JWT: " + std::string(jwt_error_name(parsed.error)) + ".");
    const Jwt& jwt = *parsed.jwt;
    if (string_claim(jwt.header, "alg") != "RS256") return bad("The assertion is not signed with RS256.");
    std::string why;
    const std::string* pem = named_certificate(jwt, ctx, crypto, why);
    if (pem == nullptr) return bad(why);
    if (!crypto.verify_rs256_with_certificate(*pem, jwt.signing_input, jwt.signature)) {
        return bad("The signature does not verify with the registered certificate.");
    }
    const std::string_view iss = string_claim(jwt.payload, "iss");
    const std::string_view sub = string_claim(jwt.payload, "sub");
    if (iss.empty()) return aad_error(90014, {"iss"});
    if (sub.empty()) return aad_error(90014, {"sub"});
    if (policy::lower(iss) != policy::lower(ctx.client_id) || policy::lower(sub) != policy::lower(ctx.client_id)) {
        return aad_error(700021);
    }
    const std::string_view aud = string_claim(jwt.payload, "aud");
    bool aud_ok = false;
    for (const auto& a : ctx.audiences) aud_ok = aud_ok || policy::lower(a) == policy::lower(aud);
    if (!aud_ok) return bad("The audience '" + std::string(aud) + "' is not this token endpoint.");
    if (auto e = check_times(jwt, ctx)) return e;
    const std::string_view jti = string_claim(jwt.payload, "jti");
    if (jti.empty()) return aad_error(90014, {"jti"});
    if (ctx.consume_jti && !ctx.consume_jti(jti, *time_claim(jwt.payload, "exp"))) {
        return bad("The assertion's jti was already used (replay).");
    }
    return std::nullopt;
}

}  // namespace exosim::identity
