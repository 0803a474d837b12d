#include "oauth/client_assertion.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include <boost/json.hpp>
#include <memory>

#include "core/base64.hpp"

namespace exosim::client::oauth {
namespace json = boost::json;
namespace {

struct BioFree { void operator()(BIO* b) const { BIO_free(b); } };
struct X509Free { void operator()(X509* x) const { X509_free(x); } };
struct KeyFree { void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); } };
struct MdCtxFree { void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); } };

std::unique_ptr<BIO, BioFree> memory_bio(std::string_view pem) {
    return std::unique_ptr<BIO, BioFree>(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

std::optional<std::string> certificate_der(std::string_view pem) {
    auto bio = memory_bio(pem);
    std::unique_ptr<X509, X509Free> cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    if (!cert) return std::nullopt;
    const int n = i2d_X509(cert.get(), nullptr);
    if (n <= 0) return std::nullopt;
    std::string der(static_cast<std::size_t>(n), '\0');
    auto* p = reinterpret_cast<unsigned char*>(der.data());
    i2d_X509(cert.get(), &p);
    return der;
}

std::string digest(const EVP_MD* md, std::string_view bytes) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_Digest(bytes.data(), bytes.size(), out, &n, md, nullptr);
    return std::string(reinterpret_cast<const char*>(out), n);
}

std::optional<std::string> sign(std::string_view key_pem, std::string_view input, AssertionAlg alg) {
    auto bio = memory_bio(key_pem);
    std::unique_ptr<EVP_PKEY, KeyFree> key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    if (!key || !ctx) return std::nullopt;
    EVP_PKEY_CTX* pctx = nullptr;
    if (EVP_DigestSignInit(ctx.get(), &pctx, EVP_sha256(), nullptr, key.get()) != 1) return std::nullopt;
    // RFC 7518 3.5: PS256 is RSASSA-PSS with SHA-256, MGF1-SHA-256, salt = digest length.
    if (alg == AssertionAlg::ps256 && (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
                                       EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1))
        return std::nullopt;
    std::size_t n = 0;
    const auto* data = reinterpret_cast<const unsigned char*>(input.data());
    if (EVP_DigestSign(ctx.get(), nullptr, &n, data, input.size()) != 1) return std::nullopt;
    std::string sig(n, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &n, data, input.size()) != 1)
        return std::nullopt;
    sig.resize(n);
    return sig;
}

}  // namespace

std::string base64url(std::string_view bytes) {
    std::string s = core::base64_encode(bytes);
    while (!s.empty() && s.back() == '=') s.pop_back();
    for (char& c : s) c = c == '+' ? '-' : c == '/' ? '_' : c;
    return s;
}

std::optional<std::string> make_client_assertion(const AssertionInput& in, std::string& why) {
    const std::optional<std::string> der = certificate_der(in.cert_pem);
    if (!der) {
        why = "the client certificate is not a PEM certificate";
        return std::nullopt;
    }
    json::object header{{"alg", in.alg == AssertionAlg::ps256 ? "PS256" : "RS256"}, {"typ", "JWT"},
                        {"x5t#S256", base64url(digest(EVP_sha256(), *der))}};
    // RS256 assertions name the SHA-1 thumbprint (x5t), as MSAL does for them.
    if (in.alg == AssertionAlg::rs256) header["x5t"] = base64url(digest(EVP_sha1(), *der));
    json::object claims{{"aud", in.audience}, {"iss", in.client_id}, {"sub", in.client_id}, {"jti", in.jti},
                        {"nbf", in.now}, {"iat", in.now}, {"exp", in.now + assertion_lifetime}};
    const std::string input = base64url(json::serialize(header)) + "." + base64url(json::serialize(claims));
    const std::optional<std::string> sig = sign(in.key_pem, input, in.alg);
    if (!sig) {
        why = "the client key cannot sign (not an RSA private key in PEM)";
        return std::nullopt;
    }
    return input + "." + base64url(*sig);
}

std::string pkce_challenge_s256(std::string_view verifier) { return base64url(digest(EVP_sha256(), verifier)); }

std::string pkce_verifier_from(std::string_view random32) { return base64url(random32); }

}  // namespace exosim::client::oauth
