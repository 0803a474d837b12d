#include "transport/pkcs12.hpp"

#include <cstdio>
#include <memory>
#include <stdexcept>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

namespace exosim::transport {

namespace {

struct Free {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
    void operator()(X509* p) const { X509_free(p); }
    void operator()(PKCS12* p) const { PKCS12_free(p); }
    void operator()(STACK_OF(X509)* p) const { sk_X509_pop_free(p, X509_free); }
    void operator()(BIO* p) const { BIO_free(p); }
};

[[noreturn]] void fail(const std::string& what) {
    std::string text = "pkcs12: " + what;
    if (unsigned long e = ERR_get_error()) {
        char buf[256];
        ERR_error_string_n(e, buf, sizeof buf);
        text += ": " + std::string(buf);
    }
    ERR_clear_error();
    throw std::runtime_error(text);
}

std::unique_ptr<BIO, Free> open(const std::filesystem::path& file, const char* mode) {
    std::unique_ptr<BIO, Free> bio{BIO_new_file(file.c_str(), mode)};
    if (!bio) fail("cannot open " + file.string());
    return bio;
}

// PBKDF iterations and MAC iterations: OpenSSL's defaults.
constexpr int iterations = PKCS12_DEFAULT_ITER;

}  // namespace

void write_pkcs12(const CertFiles& cert, const std::filesystem::path& ca_file, const std::filesystem::path& out,
                  const std::string& password, const std::string& name, Pkcs12Format format) {
    auto chain = open(cert.chain, "r");
    std::unique_ptr<X509, Free> leaf{PEM_read_bio_X509(chain.get(), nullptr, nullptr, nullptr)};
    if (!leaf) fail("no certificate in " + cert.chain.string());
    std::unique_ptr<STACK_OF(X509), Free> cas{sk_X509_new_null()};
    while (X509* x = PEM_read_bio_X509(chain.get(), nullptr, nullptr, nullptr)) sk_X509_push(cas.get(), x);
    ERR_clear_error();  // the read that ended the loop
    if (!ca_file.empty()) {
        auto root = open(ca_file, "r");
        if (X509* x = PEM_read_bio_X509(root.get(), nullptr, nullptr, nullptr)) sk_X509_push(cas.get(), x);
    }
    auto key_bio = open(cert.key, "r");
    std::unique_ptr<EVP_PKEY, Free> key{PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr)};
    if (!key) fail("no private key in " + cert.key.string());

    const bool legacy = format == Pkcs12Format::legacy;
    const int nid = legacy ? NID_pbe_WithSHA1And3_Key_TripleDES_CBC : 0;  // 0: the library default (PBES2)
    std::unique_ptr<PKCS12, Free> p12{PKCS12_create(password.c_str(), name.c_str(), key.get(), leaf.get(), cas.get(), nid,
                                                    nid, iterations, legacy ? -1 : iterations, 0)};
    if (!p12) fail("PKCS12_create");
    if (legacy && PKCS12_set_mac(p12.get(), password.c_str(), -1, nullptr, 0, iterations, EVP_sha1()) != 1)
        fail("PKCS12_set_mac");
    auto file = open(out, "wb");
    if (i2d_PKCS12_bio(file.get(), p12.get()) != 1) fail("cannot write " + out.string());
}

}  // namespace exosim::transport
