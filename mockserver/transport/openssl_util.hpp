#pragma once
// Small OpenSSL 3 helpers for the sign-in service's crypto (identity_crypto.cpp): owning
// pointers, base64/base64url, PEM and DER conversions, thumbprints. EVP and X509 only.
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include <openssl/evp.h>
#include <openssl/x509.h>

namespace exosim::transport::ossl {

struct Free {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
    void operator()(X509* p) const { X509_free(p); }
    void operator()(BIO* p) const { BIO_free_all(p); }
    void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
    void operator()(BIGNUM* p) const { BN_free(p); }
};
template <class T>
using Ptr = std::unique_ptr<T, Free>;

// Throws std::runtime_error("identity crypto: <what>: <OpenSSL errors>").
[[noreturn]] void fail(const std::string& what);

std::string base64(std::string_view bytes);      // RFC 4648 §4, padded
std::string base64url(std::string_view bytes);   // RFC 4648 §5, no padding (RFC 7515 §2)
std::string digest(const EVP_MD* md, std::string_view bytes);

std::string der_of(X509* cert);
std::string pem_of(X509* cert);
std::string pem_of(EVP_PKEY* key);  // PKCS#8, unencrypted
// The first certificate / private key in `pem`; null when there is none (errors cleared).
Ptr<X509> read_certificate(std::string_view pem);
Ptr<EVP_PKEY> read_private_key(std::string_view pem);

// RSA 2048 key with a self-signed certificate naming `common_name`, valid `days` from a day ago.
struct SigningPair {
    Ptr<EVP_PKEY> key;
    Ptr<X509> cert;
};
SigningPair make_self_signed(const std::string& common_name, long days);

// RSASSA-PKCS1-v1_5 with SHA-256 (JWS "RS256", RFC 7518 §3.3).
std::string sign_sha256(EVP_PKEY* key, std::string_view input);
bool verify_sha256(EVP_PKEY* key, std::string_view input, std::string_view signature);

// Whole-file helpers; write_atomic: temporary file, fsync, rename, directory fsync.
std::string read_file(const std::filesystem::path& path);
void write_atomic(const std::filesystem::path& path, std::string_view data, unsigned mode);

}  // namespace exosim::transport::ossl
