#include "transport/identity_crypto.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/rand.h>

#include <ctime>
#include <sstream>
#include <stdexcept>

#include "transport/openssl_util.hpp"

namespace exosim::transport {

namespace fs = std::filesystem;
using std::chrono::system_clock;

namespace {

// Entra's token-signing certificates are self-signed with this subject (reference §3, JWKS x5c).
constexpr const char* signing_subject = "accounts.accesscontrol.windows.net";
// Five years, about what Entra's signing certificates carry.
constexpr long signing_cert_days = 5 * 365;
constexpr const char* state_file = "state";

std::string bn_param(EVP_PKEY* key, const char* name) {
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) ossl::fail(std::string("RSA parameter ") + name);
    ossl::Ptr<BIGNUM> bn{raw};
    std::string bytes(static_cast<std::size_t>(BN_num_bytes(bn.get())), '\0');
    BN_bn2bin(bn.get(), reinterpret_cast<unsigned char*>(bytes.data()));
    return bytes;
}

system_clock::time_point from_asn1(const ASN1_TIME* t) {
    std::tm tm{};
    if (ASN1_TIME_to_tm(t, &tm) != 1) return {};
    return system_clock::from_time_t(timegm(&tm));
}

std::int64_t unix_seconds(system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

struct IdentityCrypto::Key {
    std::string kid;
    ossl::Ptr<EVP_PKEY> key;
    identity::Jwk jwk;
    // Retired keys verify and stay published until this instant; the current key has none.
    std::optional<system_clock::time_point> grace_end;

    bool usable_at(system_clock::time_point now) const { return !grace_end || now < *grace_end; }
};

struct IdentityCrypto::KeySet {
    std::shared_ptr<const Key> current;
    std::vector<std::shared_ptr<const Key>> retired;  // oldest first
};

namespace {

std::shared_ptr<IdentityCrypto::Key> make_key(ossl::Ptr<EVP_PKEY> key, X509* cert) {
    auto k = std::make_shared<IdentityCrypto::Key>();
    std::string der = ossl::der_of(cert);
    k->kid = ossl::base64url(ossl::digest(EVP_sha1(), der));
    k->jwk.kid = k->kid;
    k->jwk.x5t = k->kid;
    k->jwk.x5c = {ossl::base64(der)};
    k->jwk.n = ossl::base64url(bn_param(key.get(), OSSL_PKEY_PARAM_RSA_N));
    k->jwk.e = ossl::base64url(bn_param(key.get(), OSSL_PKEY_PARAM_RSA_E));
    k->key = std::move(key);
    return k;
}

std::shared_ptr<IdentityCrypto::Key> load_key(const fs::path& dir, const std::string& kid) {
    if (kid.empty() || kid.find_first_of("/.") != std::string::npos)
        throw std::runtime_error("identity crypto: bad kid '" + kid + "' in " + (dir / state_file).string());
    auto key = ossl::read_private_key(ossl::read_file(dir / (kid + ".key.pem")));
    auto cert = ossl::read_certificate(ossl::read_file(dir / (kid + ".crt.pem")));
    if (!key || !cert) throw std::runtime_error("identity crypto: unreadable key or certificate for kid " + kid);
    auto k = make_key(std::move(key), cert.get());
    if (k->kid != kid) throw std::runtime_error("identity crypto: certificate " + kid + ".crt.pem has thumbprint " + k->kid);
    return k;
}

std::shared_ptr<IdentityCrypto::Key> create_key(const fs::path& dir) {
    ossl::SigningPair pair = ossl::make_self_signed(signing_subject, signing_cert_days);
    auto k = make_key(std::move(pair.key), pair.cert.get());
    ossl::write_atomic(dir / (k->kid + ".key.pem"), ossl::pem_of(k->key.get()), 0600);
    ossl::write_atomic(dir / (k->kid + ".crt.pem"), ossl::pem_of(pair.cert.get()), 0644);
    return k;
}

}  // namespace

IdentityCrypto::IdentityCrypto(fs::path tls_dir) : dir_(std::move(tls_dir) / "identity-signing") {
    fs::create_directories(dir_);
    auto keys = std::make_shared<KeySet>();
    if (fs::exists(dir_ / state_file)) {
        std::istringstream in(ossl::read_file(dir_ / state_file));
        std::string word, kid;
        while (in >> word >> kid) {
            if (word == "current") {
                keys->current = load_key(dir_, kid);
            } else if (word == "retired") {
                std::int64_t end = 0;
                if (!(in >> end)) throw std::runtime_error("identity crypto: bad retired line in " + (dir_ / state_file).string());
                auto k = load_key(dir_, kid);
                k->grace_end = system_clock::time_point(std::chrono::seconds(end));
                keys->retired.push_back(std::move(k));
            } else {
                throw std::runtime_error("identity crypto: unknown line '" + word + "' in " + (dir_ / state_file).string());
            }
        }
    }
    if (!keys->current) {
        keys->current = create_key(dir_);
        persist(*keys);
    }
    keys_ = std::move(keys);
}

IdentityCrypto::~IdentityCrypto() = default;

void IdentityCrypto::persist(const KeySet& keys) const {
    std::string text = "current " + keys.current->kid + "\n";
    for (const auto& k : keys.retired) text += "retired " + k->kid + " " + std::to_string(unix_seconds(*k->grace_end)) + "\n";
    ossl::write_atomic(dir_ / state_file, text, 0644);
}

std::shared_ptr<const IdentityCrypto::KeySet> IdentityCrypto::snapshot() const {
    std::lock_guard lock(mutex_);
    return keys_;
}

std::string IdentityCrypto::sha256(std::string_view bytes) const { return ossl::digest(EVP_sha256(), bytes); }

std::string IdentityCrypto::random_bytes(std::size_t n) const {
    std::string out(n, '\0');
    if (n > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) ossl::fail("RAND_bytes");
    return out;
}

std::string IdentityCrypto::current_kid() const { return snapshot()->current->kid; }

std::string IdentityCrypto::sign_rs256(std::string_view signing_input) const {
    auto keys = snapshot();
    return ossl::sign_sha256(keys->current->key.get(), signing_input);
}

bool IdentityCrypto::verify_rs256(std::string_view kid, std::string_view signing_input, std::string_view signature,
                                  system_clock::time_point now) const {
    auto keys = snapshot();
    auto check = [&](const Key& k) {
        return k.kid == kid && k.usable_at(now) && ossl::verify_sha256(k.key.get(), signing_input, signature);
    };
    if (check(*keys->current)) return true;
    for (const auto& k : keys->retired)
        if (check(*k)) return true;
    return false;
}

std::vector<identity::Jwk> IdentityCrypto::published_keys(system_clock::time_point now) const {
    auto keys = snapshot();
    std::vector<identity::Jwk> out{keys->current->jwk};
    for (auto it = keys->retired.rbegin(); it != keys->retired.rend(); ++it)
        if ((*it)->usable_at(now)) out.push_back((*it)->jwk);
    return out;
}

// Keys past their grace are dropped from the state (their files stay: harmless, and useful when
// someone asks what signed an old token).
std::string IdentityCrypto::rotate_signing_key(system_clock::time_point now, std::chrono::seconds grace) {
    std::lock_guard lock(mutex_);
    auto next = std::make_shared<KeySet>();
    for (const auto& k : keys_->retired)
        if (k->usable_at(now)) next->retired.push_back(k);
    auto fresh = create_key(dir_);
    auto previous = std::make_shared<Key>();
    previous->kid = keys_->current->kid;
    previous->jwk = keys_->current->jwk;
    previous->key.reset(keys_->current->key.get());
    EVP_PKEY_up_ref(previous->key.get());
    previous->grace_end = now + grace;
    next->retired.push_back(std::move(previous));
    next->current = std::move(fresh);
    persist(*next);
    keys_ = std::move(next);
    return keys_->current->kid;
}

std::optional<identity::CertificateInfo> IdentityCrypto::inspect_certificate(std::string_view pem) const {
    auto cert = ossl::read_certificate(pem);
    if (!cert) return std::nullopt;
    std::string der = ossl::der_of(cert.get());
    identity::CertificateInfo info;
    info.x5t = ossl::base64url(ossl::digest(EVP_sha1(), der));
    info.x5t_s256 = ossl::base64url(ossl::digest(EVP_sha256(), der));
    info.not_before = from_asn1(X509_get0_notBefore(cert.get()));
    info.not_after = from_asn1(X509_get0_notAfter(cert.get()));
    return info;
}

bool IdentityCrypto::verify_rs256_with_certificate(std::string_view pem, std::string_view signing_input,
                                                   std::string_view signature) const {
    auto cert = ossl::read_certificate(pem);
    if (!cert) return false;
    EVP_PKEY* key = X509_get0_pubkey(cert.get());
    return ossl::verify_sha256(key, signing_input, signature);
}

}  // namespace exosim::transport
