#include "transport/openssl_util.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

namespace exosim::transport::ossl {

namespace fs = std::filesystem;

void fail(const std::string& what) {
    std::string text = "identity crypto: " + what;
    while (unsigned long e = ERR_get_error()) {
        std::array<char, 256> buf{};
        ERR_error_string_n(e, buf.data(), buf.size());
        text += "; ";
        text += buf.data();
    }
    throw std::runtime_error(text);
}

std::string base64(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::string base64url(std::string_view bytes) {
    std::string out = base64(bytes);
    while (!out.empty() && out.back() == '=') out.pop_back();
    for (char& c : out) {
        if (c == '+') c = '-';
        else if (c == '/') c = '_';
    }
    return out;
}

std::string digest(const EVP_MD* md, std::string_view bytes) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
    unsigned int n = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), out.data(), &n, md, nullptr) != 1) fail("digest");
    return std::string(reinterpret_cast<const char*>(out.data()), n);
}

std::string der_of(X509* cert) {
    unsigned char* buf = nullptr;
    int n = i2d_X509(cert, &buf);
    if (n <= 0) fail("i2d_X509");
    std::string out(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
    OPENSSL_free(buf);
    return out;
}

namespace {

std::string bio_text(BIO* bio) {
    char* data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(n));
}

Ptr<BIO> memory_bio(std::string_view pem) {
    if (pem.size() > static_cast<std::size_t>(INT32_MAX)) return nullptr;
    return Ptr<BIO>{BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()))};
}

void add_ext(X509* x, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (!ext || !X509_add_ext(x, ext, -1)) {
        X509_EXTENSION_free(ext);
        fail(std::string("extension ") + value);
    }
    X509_EXTENSION_free(ext);
}

}  // namespace

std::string pem_of(X509* cert) {
    Ptr<BIO> bio{BIO_new(BIO_s_mem())};
    if (!bio || !PEM_write_bio_X509(bio.get(), cert)) fail("PEM_write_bio_X509");
    return bio_text(bio.get());
}

std::string pem_of(EVP_PKEY* key) {
    Ptr<BIO> bio{BIO_new(BIO_s_mem())};
    if (!bio || !PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr))
        fail("PEM_write_bio_PrivateKey");
    return bio_text(bio.get());
}

Ptr<X509> read_certificate(std::string_view pem) {
    Ptr<BIO> bio = memory_bio(pem);
    Ptr<X509> cert{bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr};
    ERR_clear_error();
    return cert;
}

Ptr<EVP_PKEY> read_private_key(std::string_view pem) {
    Ptr<BIO> bio = memory_bio(pem);
    Ptr<EVP_PKEY> key{bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr};
    ERR_clear_error();
    return key;
}

SigningPair make_self_signed(const std::string& common_name, long days) {
    SigningPair p;
    p.key.reset(EVP_RSA_gen(2048));
    if (!p.key) fail("RSA key generation");
    p.cert.reset(X509_new());
    X509* x = p.cert.get();
    std::array<unsigned char, 16> serial{};
    if (!x || !X509_set_version(x, X509_VERSION_3) || RAND_bytes(serial.data(), static_cast<int>(serial.size())) != 1)
        fail("X509_new");
    serial[0] &= 0x7f;
    Ptr<BIGNUM> bn{BN_bin2bn(serial.data(), static_cast<int>(serial.size()), nullptr)};
    if (!bn || !BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(x))) fail("serial");
    X509_NAME* name = X509_get_subject_name(x);
    if (!X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(common_name.c_str()),
                                    -1, -1, 0) ||
        !X509_set_issuer_name(x, name))
        fail("subject");
    if (!X509_time_adj_ex(X509_getm_notBefore(x), -1, 0, nullptr) || !X509_time_adj_ex(X509_getm_notAfter(x), days, 0, nullptr))
        fail("validity");
    if (!X509_set_pubkey(x, p.key.get())) fail("public key");
    add_ext(x, NID_basic_constraints, "critical,CA:FALSE");
    add_ext(x, NID_key_usage, "critical,digitalSignature");
    add_ext(x, NID_subject_key_identifier, "hash");
    if (X509_sign(x, p.key.get(), EVP_sha256()) <= 0) fail("self-sign");
    return p;
}

std::string sign_sha256(EVP_PKEY* key, std::string_view input) {
    Ptr<EVP_MD_CTX> ctx{EVP_MD_CTX_new()};
    std::size_t n = 0;
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &n, reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1)
        fail("sign init");
    std::string sig(n, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &n,
                       reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1)
        fail("sign");
    sig.resize(n);
    return sig;
}

bool verify_sha256(EVP_PKEY* key, std::string_view input, std::string_view signature) {
    if (!key || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) return false;
    Ptr<EVP_MD_CTX> ctx{EVP_MD_CTX_new()};
    bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
              EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                               reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
    ERR_clear_error();
    return ok;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("identity crypto: cannot read " + path.string());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_atomic(const fs::path& path, std::string_view data, unsigned mode) {
    fs::path tmp = path;
    tmp += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(std::random_device{}());
    auto error = [](const std::string& what, const fs::path& p) {
        return std::runtime_error("identity crypto: " + what + " " + p.string() + ": " + std::strerror(errno));
    };
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) throw error("create", tmp);
    std::string_view rest = data;
    bool ok = true;
    while (ok && !rest.empty()) {
        ssize_t n = ::write(fd, rest.data(), rest.size());
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) rest.remove_prefix(static_cast<std::size_t>(n));
    }
    ok = ok && ::fsync(fd) == 0;
    auto failure = error("write", tmp);
    ::close(fd);
    if (ok && ::rename(tmp.c_str(), path.c_str()) != 0) {
        ok = false;
        failure = error("rename", path);
    }
    if (!ok) {
        ::unlink(tmp.c_str());
        throw failure;
    }
    int dir = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) throw error("open", path.parent_path());
    ok = ::fsync(dir) == 0;
    ::close(dir);
    if (!ok) throw error("fsync", path.parent_path());
}

}  // namespace exosim::transport::ossl
