#include "oauth/client_assertion.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <boost/json.hpp>

#include "core/base64.hpp"

namespace exosim::client::oauth {
namespace {

// RFC 7636 Appendix B.
TEST(Pkce, Rfc7636AppendixB) {
    EXPECT_EQ(pkce_challenge_s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    const unsigned char octets[] = {116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186,
                                    22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121};
    EXPECT_EQ(pkce_verifier_from(std::string(reinterpret_cast<const char*>(octets), sizeof octets)),
              "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
}

std::string unb64url(std::string s) {
    for (char& c : s) c = c == '-' ? '+' : c == '_' ? '/' : c;
    while (s.size() % 4) s += '=';
    return core::base64_decode(s).value_or("");
}

// A throwaway RSA key and self-signed certificate, as PEM.
struct TestCert {
    std::string cert_pem, key_pem;
    EVP_PKEY* key = nullptr;
    TestCert() {
        key = EVP_RSA_gen(2048);
        X509* x = X509_new();
        X509_set_version(x, 2);
        ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
        X509_gmtime_adj(X509_getm_notBefore(x), 0);
        X509_gmtime_adj(X509_getm_notAfter(x), 3600);
        X509_set_pubkey(x, key);
        X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("app"), -1, -1, 0);
        X509_set_issuer_name(x, X509_get_subject_name(x));
        X509_sign(x, key, EVP_sha256());
        cert_pem = to_pem([&](BIO* b) { PEM_write_bio_X509(b, x); });
        key_pem = to_pem([&](BIO* b) { PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr); });
        X509_free(x);
    }
    ~TestCert() { EVP_PKEY_free(key); }
    template <class F>
    static std::string to_pem(F write) {
        BIO* b = BIO_new(BIO_s_mem());
        write(b);
        char* data = nullptr;
        long n = BIO_get_mem_data(b, &data);
        std::string out(data, static_cast<std::size_t>(n));
        BIO_free(b);
        return out;
    }
    bool verify(const std::string& input, const std::string& sig, bool pss) const {
        EVP_MD_CTX* ctx = EVP_MD_CTX_new();
        EVP_PKEY_CTX* pctx = nullptr;
        EVP_DigestVerifyInit(ctx, &pctx, EVP_sha256(), nullptr, key);
        if (pss) {
            EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
            EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32);  // RFC 7518 3.5: exactly the digest length
        }
        const int ok = EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                                        reinterpret_cast<const unsigned char*>(input.data()), input.size());
        EVP_MD_CTX_free(ctx);
        return ok == 1;
    }
};

TEST(ClientAssertion, SignsTheClaimsEntraChecks) {
    static const TestCert cert;
    for (AssertionAlg alg : {AssertionAlg::ps256, AssertionAlg::rs256}) {
        AssertionInput in{cert.cert_pem, cert.key_pem, "cid", "https://login.microsoftonline.com/t/oauth2/v2.0/token", "j1", 1000, alg};
        std::string why;
        auto jwt = make_client_assertion(in, why);
        ASSERT_TRUE(jwt) << why;
        const std::size_t a = jwt->find('.'), b = jwt->rfind('.');
        auto header = boost::json::parse(unb64url(jwt->substr(0, a))).as_object();
        auto claims = boost::json::parse(unb64url(jwt->substr(a + 1, b - a - 1))).as_object();
        EXPECT_EQ(header["alg"].as_string(), alg == AssertionAlg::ps256 ? "PS256" : "RS256");
        EXPECT_EQ(header["x5t#S256"].as_string().size(), 43u);  // SHA-256 in base64url
        EXPECT_EQ(header.contains("x5t"), alg == AssertionAlg::rs256);
        EXPECT_EQ(claims["aud"].as_string(), in.audience);
        EXPECT_EQ(claims["iss"].as_string(), "cid");
        EXPECT_EQ(claims["sub"].as_string(), "cid");
        EXPECT_EQ(claims["jti"].as_string(), "j1");
        EXPECT_EQ(claims["nbf"].as_int64(), 1000);
        EXPECT_EQ(claims["exp"].as_int64(), 1000 + assertion_lifetime);
        EXPECT_TRUE(cert.verify(jwt->substr(0, b), unb64url(jwt->substr(b + 1)), alg == AssertionAlg::ps256));
    }
}

TEST(ClientAssertion, RefusesUnusableFiles) {
    static const TestCert cert;
    std::string why;
    AssertionInput bad_cert{"not pem", cert.key_pem, "cid", "aud", "j", 0, AssertionAlg::ps256};
    EXPECT_FALSE(make_client_assertion(bad_cert, why));
    EXPECT_NE(why.find("certificate"), std::string::npos);
    AssertionInput bad_key{cert.cert_pem, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "cid", "aud", "j", 0,
                           AssertionAlg::ps256};
    EXPECT_FALSE(make_client_assertion(bad_key, why));
    EXPECT_NE(why.find("key"), std::string::npos);
}

}  // namespace
}  // namespace exosim::client::oauth
