#include "transport/certs.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <functional>
#include <memory>
#include <stdexcept>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "store/atomic_write.hpp"

namespace exosim::transport {

namespace fs = std::filesystem;

namespace {

struct Deleter {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
    void operator()(X509* p) const { X509_free(p); }
    void operator()(BIO* p) const { BIO_free_all(p); }
    void operator()(BIGNUM* p) const { BN_free(p); }
    void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
};
template <class T>
using Ptr = std::unique_ptr<T, Deleter>;

// RSA 2048 like the certificates Exchange Online serves; validity as CA/B Forum's former maximum.
constexpr int key_bits = 2048;
constexpr long leaf_days = 825;
constexpr long ca_days = 3650;
// A file that expires within this margin is regenerated rather than served.
constexpr long renew_margin_seconds = 24 * 3600;

[[noreturn]] void fail(const std::string& what) {
    std::string text = "certs: " + what;
    while (unsigned long e = ERR_get_error()) {
        std::array<char, 256> buf{};
        ERR_error_string_n(e, buf.data(), buf.size());
        text += "; ";
        text += buf.data();
    }
    throw std::runtime_error(text);
}

struct KeyPair {
    Ptr<X509> cert;
    Ptr<EVP_PKEY> key;
};

Ptr<EVP_PKEY> generate_key() {
    Ptr<EVP_PKEY> key{EVP_RSA_gen(key_bits)};
    if (!key) fail("RSA key generation failed");
    return key;
}

// Serial numbers: 159 random bits, positive (RFC 5280 4.1.2.2 allows up to 20 octets).
void set_random_serial(X509* x) {
    std::array<unsigned char, 20> buf{};
    if (RAND_bytes(buf.data(), static_cast<int>(buf.size())) != 1) fail("RAND_bytes");
    buf[0] = static_cast<unsigned char>((buf[0] & 0x7f) | 0x01);
    Ptr<BIGNUM> bn{BN_bin2bn(buf.data(), static_cast<int>(buf.size()), nullptr)};
    if (!bn || !BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(x))) fail("serial");
}

void add_ext(X509* x, X509* issuer, int nid, const std::string& value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, x, nullptr, nullptr, 0);
    Ptr<X509_EXTENSION> ext{X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str())};
    if (!ext || !X509_add_ext(x, ext.get(), -1)) fail("extension " + std::string(OBJ_nid2sn(nid)) + "=" + value);
}

struct CertSpec {
    std::string common_name;
    bool ca = false;
    bool intermediate = false;  // CA with pathlen:0
    std::string san;            // "DNS:...", "IP:..." or a comma-separated list; empty for CAs
    std::string eku;            // "serverAuth" or "clientAuth"
    long not_before_days = -1;  // one day back tolerates clock skew between peers
    long not_after_days = leaf_days;
};

// Builds and signs a certificate for `key`. `issuer` null: self-signed.
Ptr<X509> make_cert(const CertSpec& spec, EVP_PKEY* key, const KeyPair* issuer) {
    Ptr<X509> x{X509_new()};
    if (!x || !X509_set_version(x.get(), X509_VERSION_3)) fail("X509_new");
    set_random_serial(x.get());
    X509_NAME* name = X509_get_subject_name(x.get());
    auto add_entry = [&](const char* field, const std::string& value) {
        if (!X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                        reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1, 0))
            fail(std::string("subject ") + field);
    };
    add_entry("O", "exosim");
    add_entry("CN", spec.common_name);
    X509_NAME* issuer_name = issuer ? X509_get_subject_name(issuer->cert.get()) : name;
    if (!X509_set_issuer_name(x.get(), issuer_name)) fail("issuer name");
    if (!X509_time_adj_ex(X509_getm_notBefore(x.get()), static_cast<int>(spec.not_before_days), 0, nullptr) ||
        !X509_time_adj_ex(X509_getm_notAfter(x.get()), static_cast<int>(spec.not_after_days), 0, nullptr))
        fail("validity");
    if (!X509_set_pubkey(x.get(), key)) fail("public key");

    X509* issuer_cert = issuer ? issuer->cert.get() : x.get();
    if (spec.ca) {
        add_ext(x.get(), issuer_cert, NID_basic_constraints,
                spec.intermediate ? "critical,CA:TRUE,pathlen:0" : "critical,CA:TRUE");
        add_ext(x.get(), issuer_cert, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        add_ext(x.get(), issuer_cert, NID_basic_constraints, "critical,CA:FALSE");
        add_ext(x.get(), issuer_cert, NID_key_usage, "critical,digitalSignature,keyEncipherment");
        add_ext(x.get(), issuer_cert, NID_ext_key_usage, spec.eku);
        if (!spec.san.empty()) add_ext(x.get(), issuer_cert, NID_subject_alt_name, spec.san);
    }
    // SKI first: a self-signed certificate's AKI is taken from its own SKI.
    add_ext(x.get(), issuer_cert, NID_subject_key_identifier, "hash");
    add_ext(x.get(), issuer_cert, NID_authority_key_identifier, "keyid:always");
    EVP_PKEY* signer = issuer ? issuer->key.get() : key;
    if (X509_sign(x.get(), signer, EVP_sha256()) <= 0) fail("sign " + spec.common_name);
    return x;
}

std::string pem_of(X509* x) {
    Ptr<BIO> bio{BIO_new(BIO_s_mem())};
    if (!bio || !PEM_write_bio_X509(bio.get(), x)) fail("PEM_write_bio_X509");
    char* data = nullptr;
    long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
}

std::string pem_of(EVP_PKEY* k) {
    Ptr<BIO> bio{BIO_new(BIO_s_mem())};
    if (!bio || !PEM_write_bio_PrivateKey(bio.get(), k, nullptr, nullptr, 0, nullptr, nullptr))
        fail("PEM_write_bio_PrivateKey");
    char* data = nullptr;
    long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
}

// Reads the first certificate and the key; empty pointers when absent or unparsable.
KeyPair read_pair(const fs::path& cert_file, const fs::path& key_file) {
    KeyPair p;
    if (Ptr<BIO> b{BIO_new_file(cert_file.c_str(), "r")}) p.cert.reset(PEM_read_bio_X509(b.get(), nullptr, nullptr, nullptr));
    if (Ptr<BIO> b{BIO_new_file(key_file.c_str(), "r")})
        p.key.reset(PEM_read_bio_PrivateKey(b.get(), nullptr, nullptr, nullptr));
    ERR_clear_error();  // a missing file is the normal first-start case
    return p;
}

enum class TimeRule { current, expired, not_yet_valid };

bool time_ok(X509* x, TimeRule rule) {
    std::time_t now = std::time(nullptr);
    std::time_t soon = now + renew_margin_seconds;
    switch (rule) {
    case TimeRule::current:
        return X509_cmp_time(X509_get0_notBefore(x), &now) < 0 && X509_cmp_time(X509_get0_notAfter(x), &soon) > 0;
    case TimeRule::expired: return X509_cmp_time(X509_get0_notAfter(x), &now) < 0;
    case TimeRule::not_yet_valid: return X509_cmp_time(X509_get0_notBefore(x), &soon) > 0;
    }
    return false;
}

// The pair matches, is signed by `issuer_key` (null: by itself) and satisfies `rule`.
bool usable(const KeyPair& p, EVP_PKEY* issuer_key, TimeRule rule) {
    bool ok = p.cert && p.key && X509_check_private_key(p.cert.get(), p.key.get()) == 1 &&
              X509_verify(p.cert.get(), issuer_key ? issuer_key : p.key.get()) == 1 && time_ok(p.cert.get(), rule);
    ERR_clear_error();
    return ok;
}

void fsync_dir(const fs::path& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

void write_pair(const KeyPair& p, const fs::path& cert_file, const fs::path& key_file, const std::string& extra) {
    store::atomic_write(key_file, pem_of(p.key.get()), 0600);
    store::atomic_write(cert_file, pem_of(p.cert.get()) + extra, 0644);
    fsync_dir(cert_file.parent_path());
}

// Exclusive flock on <dir>/.lock for the lifetime of the object: serialises generation across
// threads and processes (each lock is its own open file description).
class DirLock {
public:
    explicit DirLock(const fs::path& dir) {
        fs::path p = dir / ".lock";
        fd_ = ::open(p.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd_ < 0) throw std::runtime_error("certs: open " + p.string() + ": " + std::strerror(errno));
        while (::flock(fd_, LOCK_EX) != 0) {
            if (errno != EINTR) {
                ::close(fd_);
                throw std::runtime_error("certs: flock " + p.string() + ": " + std::strerror(errno));
            }
        }
    }
    ~DirLock() { ::close(fd_); }
    DirLock(const DirLock&) = delete;
    DirLock& operator=(const DirLock&) = delete;

private:
    int fd_ = -1;
};

bool is_ip_literal(const std::string& name) {
    std::array<unsigned char, 16> buf{};
    return ::inet_pton(AF_INET, name.c_str(), buf.data()) == 1 || ::inet_pton(AF_INET6, name.c_str(), buf.data()) == 1;
}

void check_name(const std::string& name) {
    if (name.empty() || name.size() > 253) throw std::invalid_argument("certs: bad certificate name");
    for (unsigned char c : name)
        if (c <= 0x20 || c >= 0x7f || c == ',') throw std::invalid_argument("certs: bad certificate name: " + name);
}

// Loads the self-signed CA at <stem>.pem/.key, creating it when unusable. Caller holds the lock.
KeyPair load_or_create_root(const fs::path& dir, const std::string& stem, const std::string& cn, bool& created) {
    fs::path cert_file = dir / (stem + ".pem"), key_file = dir / (stem + ".key");
    KeyPair p = read_pair(cert_file, key_file);
    created = !usable(p, nullptr, TimeRule::current);
    if (created) {
        p.key = generate_key();
        CertSpec spec;
        spec.common_name = cn;
        spec.ca = true;
        spec.not_after_days = ca_days;
        p.cert = make_cert(spec, p.key.get(), nullptr);
        write_pair(p, cert_file, key_file, "");
    }
    return p;
}

KeyPair load_or_create_intermediate(const fs::path& dir, const KeyPair& root, bool force) {
    fs::path cert_file = dir / "intermediate.pem", key_file = dir / "intermediate.key";
    KeyPair p = read_pair(cert_file, key_file);
    if (force || !usable(p, root.key.get(), TimeRule::current)) {
        p.key = generate_key();
        CertSpec spec;
        spec.common_name = "exosim local intermediate CA";
        spec.ca = spec.intermediate = true;
        spec.not_after_days = ca_days;
        p.cert = make_cert(spec, p.key.get(), &root);
        write_pair(p, cert_file, key_file, "");
    }
    return p;
}

TimeRule time_rule(CertVariant v) {
    if (v == CertVariant::expired) return TimeRule::expired;
    if (v == CertVariant::not_yet_valid) return TimeRule::not_yet_valid;
    return TimeRule::current;
}

CertSpec leaf_spec(const std::string& name, CertVariant variant, bool client) {
    CertSpec spec;
    spec.common_name = variant == CertVariant::wrong_host ? "other.example.org" : name;
    bool ip = variant != CertVariant::wrong_host && is_ip_literal(name);
    spec.san = (ip ? "IP:" : "DNS:") + spec.common_name;
    spec.eku = client ? "clientAuth" : "serverAuth";
    if (variant == CertVariant::expired) {
        spec.not_before_days = -400;
        spec.not_after_days = -30;
    } else if (variant == CertVariant::not_yet_valid) {
        spec.not_before_days = 365;
        spec.not_after_days = 365 + leaf_days;
    }
    return spec;
}

std::string asn1_text(const ASN1_STRING* s) {
    unsigned char* out = nullptr;
    int n = ASN1_STRING_to_UTF8(&out, s);
    if (n < 0) return {};
    std::string text(reinterpret_cast<char*>(out), static_cast<std::size_t>(n));
    OPENSSL_free(out);
    return text;
}

std::vector<std::string> dns_names(X509* cert) {
    std::vector<std::string> names;
    auto* sans = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
    for (int i = 0; sans && i < sk_GENERAL_NAME_num(sans); ++i) {
        const GENERAL_NAME* gn = sk_GENERAL_NAME_value(sans, i);
        if (gn->type == GEN_DNS) names.push_back(asn1_text(gn->d.dNSName));
    }
    GENERAL_NAMES_free(sans);
    return names;
}

std::string common_name(X509* cert) {
    X509_NAME* subject = X509_get_subject_name(cert);
    int pos = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
    return pos < 0 ? std::string() : asn1_text(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, pos)));
}

// Issues `spec` under the intermediate into `files` unless a usable pair there already passes
// `matches`. `with_chain`: the chain file also holds the intermediate (what a server sends).
CertFiles issue_leaf(const fs::path& dir_, const CertSpec& spec, const CertFiles& files, bool with_chain,
                     const std::function<bool(X509*)>& matches) {
    DirLock lock(dir_);
    bool root_created = false;
    KeyPair root = load_or_create_root(dir_, "ca", "exosim local CA", root_created);
    KeyPair inter = load_or_create_intermediate(dir_, root, root_created);
    KeyPair existing = read_pair(files.chain, files.key);
    if (usable(existing, inter.key.get(), TimeRule::current) && matches(existing.cert.get())) return files;
    KeyPair leaf;
    leaf.key = generate_key();
    leaf.cert = make_cert(spec, leaf.key.get(), &inter);
    write_pair(leaf, files.chain, files.key, with_chain ? pem_of(inter.cert.get()) : std::string());
    return files;
}

}  // namespace

std::string_view cert_variant_name(CertVariant v) {
    switch (v) {
    case CertVariant::valid: return "valid";
    case CertVariant::self_signed: return "self_signed";
    case CertVariant::unknown_ca: return "unknown_ca";
    case CertVariant::wrong_host: return "wrong_host";
    case CertVariant::expired: return "expired";
    case CertVariant::not_yet_valid: return "not_yet_valid";
    case CertVariant::missing_intermediate: return "missing_intermediate";
    }
    return "valid";
}

bool parse_cert_variant(std::string_view text, CertVariant& out) {
    for (CertVariant v : {CertVariant::valid, CertVariant::self_signed, CertVariant::unknown_ca, CertVariant::wrong_host,
                          CertVariant::expired, CertVariant::not_yet_valid, CertVariant::missing_intermediate}) {
        if (cert_variant_name(v) == text) {
            out = v;
            return true;
        }
    }
    return false;
}

CertificateAuthority::CertificateAuthority(fs::path dir)
    : dir_(std::move(dir)), ca_file_(dir_ / "ca.pem"), intermediate_file_(dir_ / "intermediate.pem") {
    fs::create_directories(dir_);
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::replace);
    DirLock lock(dir_);
    bool root_created = false;
    KeyPair root = load_or_create_root(dir_, "ca", "exosim local CA", root_created);
    load_or_create_intermediate(dir_, root, root_created);
}

std::string CertificateAuthority::safe_name(std::string_view name) {
    std::string out;
    for (char c : name) {
        bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
        if (c == '*') out += "_wildcard_";
        else out += plain ? c : '_';
    }
    if (!out.empty() && out[0] == '.') out[0] = '_';
    return out;
}

CertFiles CertificateAuthority::server_cert(const std::string& name, CertVariant variant) {
    return issue(name, variant, false);
}

CertFiles CertificateAuthority::client_cert(const std::string& name, CertVariant variant) {
    return issue(name, variant, true);
}

CertFiles CertificateAuthority::issue(const std::string& name, CertVariant variant, bool client) {
    check_name(name);
    std::string stem = (client ? "client-" : "") + safe_name(name);
    if (variant != CertVariant::valid) stem += "." + std::string(cert_variant_name(variant));
    CertFiles files{dir_ / (stem + ".pem"), dir_ / (stem + ".key")};

    DirLock lock(dir_);
    bool root_created = false;
    KeyPair root = load_or_create_root(dir_, "ca", "exosim local CA", root_created);
    KeyPair inter = load_or_create_intermediate(dir_, root, root_created);
    KeyPair untrusted;
    const KeyPair* issuer = &inter;
    if (variant == CertVariant::self_signed) {
        issuer = nullptr;
    } else if (variant == CertVariant::unknown_ca) {
        bool ignored = false;
        untrusted = load_or_create_root(dir_, "untrusted-ca", "exosim untrusted CA", ignored);
        issuer = &untrusted;
    }

    KeyPair existing = read_pair(files.chain, files.key);
    if (usable(existing, issuer ? issuer->key.get() : nullptr, time_rule(variant))) return files;

    KeyPair leaf;
    leaf.key = generate_key();
    leaf.cert = make_cert(leaf_spec(name, variant, client), leaf.key.get(), issuer);
    // What is served after the leaf: the intermediate, except for the variants that exist to
    // break the chain; the unknown CA's root is sent so clients report "self-signed in chain".
    std::string extra;
    if (issuer == &inter && variant != CertVariant::missing_intermediate) extra = pem_of(inter.cert.get());
    if (variant == CertVariant::unknown_ca) extra = pem_of(untrusted.cert.get());
    write_pair(leaf, files.chain, files.key, extra);
    return files;
}

const std::vector<std::string>& CertificateAuthority::default_names() {
    static const std::vector<std::string> names{"smtp.office365.com", "smtp-legacy.office365.com",
                                                "*.mail.protection.outlook.com", "localhost", "127.0.0.1"};
    return names;
}

void CertificateAuthority::ensure_defaults() {
    for (const std::string& n : default_names()) server_cert(n);
    signin_cert();
}

// Reference entra-id-oauth.md §1: the sign-in hosts, and the device-login pages' hosts.
const std::vector<std::string>& CertificateAuthority::signin_names() {
    static const std::vector<std::string> names{"login.microsoftonline.com", "login.microsoft.com", "login.windows.net",
                                                "sts.windows.net",           "microsoft.com",       "www.microsoft.com"};
    return names;
}

CertFiles CertificateAuthority::signin_cert() {
    const std::vector<std::string>& names = signin_names();
    CertSpec spec = leaf_spec(names.front(), CertVariant::valid, false);
    spec.san.clear();
    for (const std::string& n : names) spec.san += (spec.san.empty() ? "DNS:" : ",DNS:") + n;
    CertFiles files{dir_ / (safe_name(names.front()) + ".pem"), dir_ / (safe_name(names.front()) + ".key")};
    return issue_leaf(dir_, spec, files, true, [&](X509* cert) { return dns_names(cert) == names; });
}

CertFiles CertificateAuthority::app_cert(const std::string& app_id, const std::string& display_name) {
    if (app_id.empty() || app_id.size() > 64 ||
        app_id.find_first_not_of("0123456789abcdefABCDEF-") != std::string::npos)
        throw std::invalid_argument("certs: bad app id '" + app_id + "'");
    if (display_name.empty() || display_name.size() > 64) throw std::invalid_argument("certs: bad app display name");
    fs::create_directories(dir_ / "apps");
    CertSpec spec;
    spec.common_name = display_name;
    spec.eku = "clientAuth";
    CertFiles files{dir_ / "apps" / (app_id + ".crt.pem"), dir_ / "apps" / (app_id + ".key.pem")};
    return issue_leaf(dir_, spec, files, false, [&](X509* cert) { return common_name(cert) == display_name; });
}


}  // namespace exosim::transport
