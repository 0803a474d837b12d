#include "transport/identity_crypto.hpp"

#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <openssl/rsa.h>

#include "support/temp_dir.hpp"
#include "transport/openssl_util.hpp"

namespace exosim::transport {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using std::chrono::system_clock;

using test::TempDir;  // support/temp_dir.hpp

// Made with `openssl req -x509 -newkey rsa:2048 -subj "/CN=Contoso Test Assertion" -days 3650`;
// thumbprints from `openssl x509 -noout -fingerprint -sha1` / `-sha256`, re-encoded base64url:
//   sha1 3D:2B:89:A4:17:89:72:3D:AE:54:B1:06:E1:FE:F7:42:8B:34:6E:E2
//   sha256 D8:5D:4F:D7:15:70:18:DD:FA:E4:EE:E6:CA:68:6A:2C:2B:E8:37:8F:0E:78:36:77:3A:8B:54:07:E2:F3:F1:F6
constexpr const char* assertion_cert = R"(-----BEGIN CERTIFICATE-----
MIIDIzCCAgugAwIBAgIUGZtx2kGPkmJRhLd7MV1bc6ctTScwDQYJKoZIhvcNAQEL
BQAwITEfMB0GA1UEAwwWQ29udG9zbyBUZXN0IEFzc2VydGlvbjAeFw0yNjEyMDUx
MDQ2NTFaFw0zNjEyMDIxMDQ2NTFaMCExHzAdBgNVBAMMFkNvbnRvc28gVGVzdCBB
c3NlcnRpb24wggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQDLhwkvh52m
xsM4KSgIg3Gwzhums2P3vFoagI8lfgGxas7P5FOYBws8Ho7YwR5ZtYxWwwv6N0Md
U0a0frbhuGDZU1C9gTVMM9fyrKB14Nej3hvx+u15dEOmdArOdryS4HHEF5V+Oymg
6QndwghBVjPAanXJLX0kcd1vbYOKNudf9lHxJDXgmMFFfQkPxWdfsaad/rDUBJFH
MbEEGWbptqW84ovPXPDLXxHQXPwx2BSsw9Tr+dd481Uu5PFR5p3kpQsUPcE/iwWR
Q5l4IqOy4uFHryq94a+mrVGkLuSr28fLOrn/FMXh2ad9rY28VQbUq5ejPJn6StRW
8OBanN+HYIynAgMBAAGjUzBRMB0GA1UdDgQWBBT4YGBRaExNzg3v1OAsw7uXKM+b
4zAfBgNVHSMEGDAWgBT4YGBRaExNzg3v1OAsw7uXKM+b4zAPBgNVHRMBAf8EBTAD
AQH/MA0GCSqGSIb3DQEBCwUAA4IBAQC/5f3MULDXuCzo6V+If/kpuiSrWY81b7AT
KxlEoX4U31zax+epBDver7oINCkpuhHEyBmIG4Ax5nH8/3fGvVPf/00LmBCOWdKq
sJM04tGYIG6B3jlFR0aV7lYXK81npxUKo43Cjk8XbyeyqI4m51JquzBoMV49qx1T
F7VQIeh3hXTEVLpuqZfoclg4rjMaOg6BP8sc0nb3ETlTnNRW3tvzCCNNv53T4Stg
NqU8ui3gUWejVk4w5waM5uavgXFrO1NncmEDxUSe6HLK5pIy5x22REIbnFu3mkR/
txvDGfVrcJDvAm8+y9XZyOd/KYYD+sRnHrzWqQAKirERZ8bZfIT8
-----END CERTIFICATE-----
)";
// `printf %s "$input" | openssl dgst -sha256 -sign <that key> | base64`
constexpr const char* assertion_input = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0";
constexpr const char* assertion_signature_b64 =
    "tIuFEJofDi0sNE+PPELyDbaZP8T++ll9GyGXkftkBdPoWeC/6vebdmsmObWlN58DXCPsGKJcuK6T3S9VFAhmW2XSgGvJ+jZldFzSukf8XQ+w9qQDeoAN"
    "CHcvLJikv9DtnG3GKiR5xELGW5p6EB1Si+vni3gtGjgmg2f43xgRDRc7yUCdf99eFzMfYgV9tIIYrp7UHHQrETaVIKfWhlXXi9eu7Y2C0e77VbwOhDFX"
    "MxTX/Kz8xy2d1Z0ugqoS1/X8Sgq/WwItkre0JIYIy2q43LzVT4OT1HvBAeRHBA7/deMJPYdzyZY9MTHnzzxn4sxzfAMC8wb3cBiB4EwkkB3XjA==";

// PS256 (msal-node's default assertion): a key made with `openssl req -x509 -newkey rsa:2048 -nodes
// -subj "/CN=Contoso Test PS256 Assertion" -days 3650`, then
//   printf %s "$input" | openssl dgst -sha256 -sign k.pem -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32
// (RFC 7518 §3.5: salt = digest length); the "max" one with rsa_pss_saltlen:max (222 octets of
// salt) and the PKCS#1 v1.5 one without -sigopt, over the same input with the same key.
constexpr const char* pss_cert = R"(-----BEGIN CERTIFICATE-----
MIIDLzCCAhegAwIBAgIUMM6a5mX3l5umN8h3fVxIMVWW9UowDQYJKoZIhvcNAQEL
BQAwJzElMCMGA1UEAwwcQ29udG9zbyBUZXN0IFBTMjU2IEFzc2VydGlvbjAeFw0y
NjEyMDUxMjI0MDlaFw0zNjEyMDIxMjI0MDlaMCcxJTAjBgNVBAMMHENvbnRvc28g
VGVzdCBQUzI1NiBBc3NlcnRpb24wggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEK
AoIBAQDD/i0dmheEd5OfC4Vd6uzwccJPC2NpyO7+QnP234407pPB0TsjODI+4Eoq
2uPOGtuxtg0IV/5xY3DGJiwsoou18zsdEo5jvmtAsoSZRqgrgi70hmehkClzRhlL
E6MhvRvhLz2m/M8atVJN7hxxde1KftoOc5yU/Un+VcaWKnvqbKZW5ZPnl8qbu89n
jlyF2N9Olv5hoBRramQZneEEYEqgZ7C6r2D9P8GK5KZP0m1sVDkEhia9jnlAqoPC
EG/O+YNblYninNEtymNUBOMUNErwn04BgLJFvq5ktsK3G65SQ7EZtNqkwpkjWf7G
JjJjmLHtJumJsxv3OR1sUCRx/hh9AgMBAAGjUzBRMB0GA1UdDgQWBBStHSH1pJON
Sq7UJI3dNDVK3n6iYzAfBgNVHSMEGDAWgBStHSH1pJONSq7UJI3dNDVK3n6iYzAP
BgNVHRMBAf8EBTADAQH/MA0GCSqGSIb3DQEBCwUAA4IBAQCETkS2qY8UBV2tO3zs
n6PgcQ7po1HyTI8Zx5APC1Zrf/lTINr2ZZRtUUrO/kRTdBA2PDU1AkNDJaBDhTwr
U4oVtWG5bg/YHcBbCFNRM2DYgZlQdXRhK/k0yk9GepXj3B11UOJ0jJCX2MKvr1nf
3Fif5qSEe0oLGrpK/HGHWpHBKR5+/NzyBlqTXCvCrdXZ4cEfdcNLCIj0FNo4K4Ta
xApHqvQVbPb5z9lTAA9ZAQXa+eGF4J4NMpXPNmTTan9nKKEuovGH/YZf1lC20k7G
9ew1ivBKw/44s7uHGVXa/hTfnUcpG0/olO0Dmawn0xXDvHQcJ7L3LDeJTBJxNk5u
B5Lc
-----END CERTIFICATE-----
)";
constexpr const char* pss_input = "eyJhbGciOiJQUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ0ZXN0In0";
constexpr const char* pss_signature_b64 =
    "jPwMp1/Kad2+rxpadiIRLkixBGY24ULm2xMKxwtRopFCFA5cMwglKwUJ4Eo0zNPpN5KVMeUyMtpECU8HRqh3gwV0gq7Wdq4/wBw79hu8kKukSJX8TB"
    "aZl12gSxepwRczpZekCBgKgRT24NV6cVI4fYwhAI934m6sTp12FVu8geEvQfpFAPPGo4XMSqmNXWzmkYHhrkRY8y/Ul05f97FSiILxxp4U75Kdrgf1"
    "WntfOR3SdN/ccBJ16WDa08n5dNMw+oYzs4/UrajskifpsIqC7zCbEb1NYWHdgd83TY2svcrxORLAWZYxGlGymiJCB2Sj7C5lOfilkbcE5bMA30PRTA"
    "==";
constexpr const char* pss_max_salt_signature_b64 =
    "MM20kYcblu3PTnSNzrYGqIWHgMgnFevc1OtLXusatRpG4OGfKrNZRO9BIwwxm7cVaFCOgbn8oYuct+GZYFn859lYNBHa9wCCkfCW7K0medNTcgajye"
    "eeO7GXlj6K0EgGd8pnEidGG/jy31c3usqLKaPQDMvVn0hObHH1CadTW/bjKIsfDS3cSd7e1w2vMU74cYM8KfvyxiJ0JRgJoY14l5NUCrDHqWp/P7aQ"
    "zX5MzzbGZM29m/Ey1gmrevFGo8V5zMtnpTvV3M9jEpkkwNPKml3l68emQryuJ/YsDpIINaKe8B7tzUfagyBPJXJWN/lz9XbejY0aLI/2aRWDilFHMA"
    "==";
constexpr const char* pss_cert_pkcs1_signature_b64 =
    "qWPf5lDzwTqoWHVGTu8b7/O88ioYqBd4ocgMEEtGUHkeLSCWFcsZqZUpZymfigYrHg28VyInCRyTRT2g4qafF7ZRu/tpCe2uTtBPsY3v6GHx7273hg"
    "jqLLN5ScR0XVLnewAiZ4lmMQF4yYLeot695GgBEo3+wQSQ/TSx5aDZsoNFyAYj2DBlmPEMoAkKIS5w0FJz75Orn4w5PXzQanpRlxmCieHejDz7w8na"
    "Ouxf5dO2Bt99AXWXvrXefMJ87+YBMkI5TwPK0tQ13/2/kJfLKI28XAUNwG4jflqI2EJnvN2Vqw6mHnO6skkwuw0EgUxIOLrxXrCPjoL61i4orGUeEA"
    "==";

std::string unbase64(const std::string& b64) {
    std::string out(b64.size(), '\0');
    int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(b64.data()),
                            static_cast<int>(b64.size()));
    std::size_t pad = b64.ends_with("==") ? 2 : b64.ends_with("=") ? 1 : 0;
    out.resize(static_cast<std::size_t>(n) - pad);
    return out;
}

std::string hex(std::string_view bytes) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

const system_clock::time_point t0 = system_clock::from_time_t(1'800'000'000);

TEST(IdentityCrypto, Sha256MatchesFips180Vectors) {
    TempDir dir;
    IdentityCrypto c(dir.path());
    EXPECT_EQ(hex(c.sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(hex(c.sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(IdentityCrypto, RandomBytesHaveTheAskedLengthAndDiffer) {
    TempDir dir;
    IdentityCrypto c(dir.path());
    EXPECT_EQ(c.random_bytes(0).size(), 0u);
    EXPECT_EQ(c.random_bytes(32).size(), 32u);
    EXPECT_NE(c.random_bytes(32), c.random_bytes(32));
}

TEST(IdentityCrypto, SignatureRoundTripsAndTamperingIsRefused) {
    TempDir dir;
    IdentityCrypto c(dir.path());
    const std::string kid = c.current_kid();
    std::string sig = c.sign_rs256("header.payload");
    EXPECT_EQ(sig.size(), 256u);  // RSA 2048
    EXPECT_TRUE(c.verify_rs256(kid, "header.payload", sig, t0));
    EXPECT_FALSE(c.verify_rs256(kid, "header.payloaD", sig, t0));
    std::string flipped = sig;
    flipped[100] = static_cast<char>(flipped[100] ^ 0x01);
    EXPECT_FALSE(c.verify_rs256(kid, "header.payload", flipped, t0));
    EXPECT_FALSE(c.verify_rs256(kid, "header.payload", sig.substr(0, 255), t0));
    EXPECT_FALSE(c.verify_rs256(kid, "header.payload", "", t0));
    EXPECT_FALSE(c.verify_rs256("unknown-kid", "header.payload", sig, t0));
    EXPECT_FALSE(c.verify_rs256("", "header.payload", sig, t0));
}

TEST(IdentityCrypto, KidIsTheCertificateThumbprintAndTheJwkDescribesTheKey) {
    TempDir dir;
    IdentityCrypto c(dir.path());
    auto keys = c.published_keys(t0);
    ASSERT_EQ(keys.size(), 1u);
    const identity::Jwk& k = keys[0];
    EXPECT_EQ(k.kid, c.current_kid());
    EXPECT_EQ(k.x5t, k.kid);
    ASSERT_EQ(k.x5c.size(), 1u);
    EXPECT_EQ(k.e, "AQAB");  // 65537
    EXPECT_EQ(k.n.size(), 342u);  // 256 octets, base64url without padding
    EXPECT_EQ(k.kid.size(), 27u); // 20 octets
    // x5c is bare base64 DER: wrap it as PEM (64-column lines, RFC 7468 §2).
    std::string wrapped;
    for (std::size_t i = 0; i < k.x5c[0].size(); i += 64) wrapped += k.x5c[0].substr(i, 64) + "\n";
    auto info = c.inspect_certificate("-----BEGIN CERTIFICATE-----\n" + wrapped + "-----END CERTIFICATE-----\n");
    ASSERT_TRUE(info);
    EXPECT_EQ(info->x5t, k.kid);
    EXPECT_TRUE(fs::exists(dir.path() / "identity-signing" / (k.kid + ".key.pem")));
    EXPECT_TRUE(fs::exists(dir.path() / "identity-signing" / (k.kid + ".crt.pem")));
}

TEST(IdentityCrypto, RotationKeepsTheOldKeyForItsGraceOnly) {
    TempDir dir;
    IdentityCrypto c(dir.path());
    const std::string old_kid = c.current_kid();
    const std::string old_sig = c.sign_rs256("input");
    const std::string new_kid = c.rotate_signing_key(t0, 3600s);
    EXPECT_NE(new_kid, old_kid);
    EXPECT_EQ(c.current_kid(), new_kid);
    const std::string new_sig = c.sign_rs256("input");
    EXPECT_TRUE(c.verify_rs256(new_kid, "input", new_sig, t0));
    EXPECT_FALSE(c.verify_rs256(new_kid, "input", old_sig, t0)) << "signatures are checked against the named kid";
    // Inside the grace: both published (current first), both verify.
    for (auto at : {t0, t0 + 3599s}) {
        auto keys = c.published_keys(at);
        ASSERT_EQ(keys.size(), 2u);
        EXPECT_EQ(keys[0].kid, new_kid);
        EXPECT_EQ(keys[1].kid, old_kid);
        EXPECT_TRUE(c.verify_rs256(old_kid, "input", old_sig, at));
    }
    // At and past the grace end: gone from the JWKS, refused.
    for (auto at : {t0 + 3600s, t0 + 3601s}) {
        auto keys = c.published_keys(at);
        ASSERT_EQ(keys.size(), 1u);
        EXPECT_EQ(keys[0].kid, new_kid);
        EXPECT_FALSE(c.verify_rs256(old_kid, "input", old_sig, at));
        EXPECT_TRUE(c.verify_rs256(new_kid, "input", new_sig, at));
    }
}

TEST(IdentityCrypto, ARotationAfterTheGraceDropsTheExpiredKeyFromTheState) {
    TempDir dir;
    IdentityCrypto c(dir.path());
    const std::string k1 = c.current_kid();
    const std::string k2 = c.rotate_signing_key(t0, 60s);
    const std::string k3 = c.rotate_signing_key(t0 + 120s, 60s);
    auto keys = c.published_keys(t0 + 120s);
    ASSERT_EQ(keys.size(), 2u);
    EXPECT_EQ(keys[0].kid, k3);
    EXPECT_EQ(keys[1].kid, k2);
    std::ifstream in(dir.path() / "identity-signing" / "state");
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_EQ(text.str().find(k1), std::string::npos) << text.str();
    EXPECT_EQ(text.str(), "current " + k3 + "\nretired " + k2 + " " + std::to_string(1'800'000'000 + 180) + "\n");
}

TEST(IdentityCrypto, KeysAndGracePersistAcrossInstancesOverTheSameDirectory) {
    TempDir dir;
    std::string old_kid, new_kid, old_sig, new_sig;
    {
        IdentityCrypto first(dir.path());
        old_kid = first.current_kid();
        old_sig = first.sign_rs256("token");
        new_kid = first.rotate_signing_key(t0, 600s);
        new_sig = first.sign_rs256("token");
    }
    IdentityCrypto second(dir.path());
    EXPECT_EQ(second.current_kid(), new_kid);
    EXPECT_TRUE(second.verify_rs256(new_kid, "token", new_sig, t0));
    EXPECT_TRUE(second.verify_rs256(old_kid, "token", old_sig, t0 + 599s));
    EXPECT_FALSE(second.verify_rs256(old_kid, "token", old_sig, t0 + 600s));
    EXPECT_EQ(second.published_keys(t0).size(), 2u);
    // A third instance that never rotated signs with the same key as the second.
    IdentityCrypto third(dir.path());
    EXPECT_TRUE(second.verify_rs256(third.current_kid(), "x", third.sign_rs256("x"), t0));
}

TEST(IdentityCrypto, ACorruptStateFileIsAnError) {
    TempDir dir;
    { IdentityCrypto first(dir.path()); }
    std::ofstream(dir.path() / "identity-signing" / "state") << "current ../etc\n";
    EXPECT_THROW(IdentityCrypto again(dir.path()), std::runtime_error);
    std::ofstream(dir.path() / "identity-signing" / "state") << "bogus line\n";
    EXPECT_THROW(IdentityCrypto again(dir.path()), std::runtime_error);
}

TEST(IdentityCrypto, CertificateThumbprintsMatchOpenSslFingerprints) {
    TempDir dir;
    IdentityCrypto c(dir.path());
    auto info = c.inspect_certificate(assertion_cert);
    ASSERT_TRUE(info);
    EXPECT_EQ(info->x5t, "PSuJpBeJcj2uVLEG4f73Qos0buI");
    EXPECT_EQ(info->x5t_s256, "2F1P1xVwGN365O7mymhqLCvoN48OeDZ3OotUB-Lz8fY");
    EXPECT_EQ(system_clock::to_time_t(info->not_before), 1796467611);  // Dec  5 10:46:51 2026 GMT
    EXPECT_EQ(system_clock::to_time_t(info->not_after), 2111827611);   // Dec  2 10:46:51 2036 GMT
}

TEST(IdentityCrypto, AssertionSignatureVerifiesWithItsCertificateOnly) {
    TempDir dir;
    IdentityCrypto c(dir.path());
    const std::string sig = unbase64(assertion_signature_b64);
    ASSERT_EQ(sig.size(), 256u);
    EXPECT_TRUE(c.verify_rs256_with_certificate(assertion_cert, assertion_input, sig));
    EXPECT_FALSE(c.verify_rs256_with_certificate(assertion_cert, std::string(assertion_input) + "x", sig));
    // Our own signing certificate is another key.
    auto jwk = c.published_keys(t0)[0];
    std::string wrapped;
    for (std::size_t i = 0; i < jwk.x5c[0].size(); i += 64) wrapped += jwk.x5c[0].substr(i, 64) + "\n";
    EXPECT_FALSE(c.verify_rs256_with_certificate("-----BEGIN CERTIFICATE-----\n" + wrapped + "-----END CERTIFICATE-----\n",
                                                 assertion_input, sig));
}

TEST(IdentityCrypto, Ps256AssertionVerifiesAndTamperingIsRefused) {
    TempDir dir;
    IdentityCrypto c(dir.path());
    const std::string sig = unbase64(pss_signature_b64);
    ASSERT_EQ(sig.size(), 256u);
    EXPECT_TRUE(c.verify_ps256_with_certificate(pss_cert, pss_input, sig));
    // A changed input, a flipped bit in the signature, a short signature: refused.
    EXPECT_FALSE(c.verify_ps256_with_certificate(pss_cert, std::string(pss_input) + "x", sig));
    std::string flipped = sig;
    flipped[17] = static_cast<char>(flipped[17] ^ 0x40);
    EXPECT_FALSE(c.verify_ps256_with_certificate(pss_cert, pss_input, flipped));
    EXPECT_FALSE(c.verify_ps256_with_certificate(pss_cert, pss_input, sig.substr(0, 255)));
    EXPECT_FALSE(c.verify_ps256_with_certificate(pss_cert, pss_input, ""));
    // Another certificate's key: refused.
    EXPECT_FALSE(c.verify_ps256_with_certificate(assertion_cert, pss_input, sig));
    // PSS and PKCS#1 v1.5 are not interchangeable, either way.
    EXPECT_FALSE(c.verify_rs256_with_certificate(pss_cert, pss_input, sig));
    const std::string pkcs1 = unbase64(pss_cert_pkcs1_signature_b64);
    EXPECT_TRUE(c.verify_rs256_with_certificate(pss_cert, pss_input, pkcs1));
    EXPECT_FALSE(c.verify_ps256_with_certificate(pss_cert, pss_input, pkcs1));
    // PS256 fixes the salt at the digest length; OpenSSL's "max" salt is another signature scheme.
    EXPECT_FALSE(c.verify_ps256_with_certificate(pss_cert, pss_input, unbase64(pss_max_salt_signature_b64)));
}

TEST(IdentityCrypto, Ps256SignedThroughEvpWithSaltDigestVerifies) {
    TempDir dir;
    IdentityCrypto c(dir.path());
    ossl::SigningPair pair = ossl::make_self_signed("PS256 round trip", 1);
    const std::string input = "header.payload";
    auto sign = [&](int saltlen) {
        ossl::Ptr<EVP_MD_CTX> ctx{EVP_MD_CTX_new()};
        EVP_PKEY_CTX* pctx = nullptr;
        EXPECT_EQ(EVP_DigestSignInit(ctx.get(), &pctx, EVP_sha256(), nullptr, pair.key.get()), 1);
        EXPECT_EQ(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING), 1);
        EXPECT_EQ(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, saltlen), 1);
        std::size_t len = 0;
        EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()), input.size());
        std::string sig(len, '\0');
        EXPECT_EQ(EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                                 reinterpret_cast<const unsigned char*>(input.data()), input.size()), 1);
        sig.resize(len);
        return sig;
    };
    const std::string pem = ossl::pem_of(pair.cert.get());
    const std::string a = sign(RSA_PSS_SALTLEN_DIGEST);
    const std::string b = sign(RSA_PSS_SALTLEN_DIGEST);
    EXPECT_NE(a, b) << "PSS is randomized";
    EXPECT_TRUE(c.verify_ps256_with_certificate(pem, input, a));
    EXPECT_TRUE(c.verify_ps256_with_certificate(pem, input, b));
    EXPECT_FALSE(c.verify_ps256_with_certificate(pem, "header.payloaD", a));
    EXPECT_FALSE(c.verify_ps256_with_certificate(pem, input, sign(20)));  // salt 31 / 33 / 20: not PS256
    EXPECT_FALSE(c.verify_ps256_with_certificate(pem, input, sign(31)));
    EXPECT_FALSE(c.verify_ps256_with_certificate(pem, input, sign(33)));
}

TEST(IdentityCrypto, NonCertificatePemIsRefused) {
    TempDir dir;
    IdentityCrypto c(dir.path());
    std::string key_pem = ossl::read_file(dir.path() / "identity-signing" / (c.current_kid() + ".key.pem"));
    for (const std::string& pem : {key_pem, std::string(), std::string("not pem at all"),
                                   std::string("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")}) {
        EXPECT_FALSE(c.inspect_certificate(pem)) << pem;
        EXPECT_FALSE(c.verify_rs256_with_certificate(pem, "x", std::string(256, 'a'))) << pem;
        EXPECT_FALSE(c.verify_ps256_with_certificate(pem, "x", std::string(256, 'a'))) << pem;
    }
}

TEST(IdentityCrypto, SigningAndRotatingFromManyThreadsIsSafe) {
    TempDir dir;
    IdentityCrypto c(dir.path());
    std::vector<std::thread> pool;
    std::atomic<int> bad{0};
    for (int t = 0; t < 4; ++t)
        pool.emplace_back([&] {
            for (int i = 0; i < 20; ++i) {
                std::string kid = c.current_kid();
                std::string sig = c.sign_rs256("m");
                // The key may rotate in between: the signature verifies with one published kid.
                bool ok = false;
                for (const auto& k : c.published_keys(t0)) ok = ok || c.verify_rs256(k.kid, "m", sig, t0);
                if (!ok) ++bad;
            }
        });
    pool.emplace_back([&] { c.rotate_signing_key(t0, 3600s); });
    for (auto& th : pool) th.join();
    EXPECT_EQ(bad.load(), 0);
}

}  // namespace
}  // namespace exosim::transport
