#pragma once
// identity::Crypto with OpenSSL 3 (EVP only): SHA-256, RAND_bytes, and the sign-in service's
// RS256 signing keys, kept under <tls-dir>/identity-signing/ so tokens issued before a restart
// still verify after it.
//
// Each key is RSA 2048 with a self-signed certificate (CN accounts.accesscontrol.windows.net, as
// Entra's signing certificates are); its kid is the base64url SHA-1 thumbprint of that
// certificate, so the JWKS's x5t equals the kid and x5c holds the certificate, as Entra publishes
// them (reference entra-id-oauth.md §3, JWKS). Files: <kid>.key.pem, <kid>.crt.pem, and `state`
// ("current <kid>" and "retired <kid> <grace-end unix seconds>" lines), each written atomically
// (temporary file, fsync, rename, directory fsync).
#include <filesystem>
#include <memory>
#include <mutex>

#include "identity/crypto.hpp"

namespace exosim::transport {

class IdentityCrypto final : public identity::Crypto {
public:
    // Loads the keys named by <tls_dir>/identity-signing/state, creating the directory and a first
    // key when there is none. Throws std::runtime_error when a file is unreadable or OpenSSL fails.
    explicit IdentityCrypto(std::filesystem::path tls_dir);
    ~IdentityCrypto() override;

    std::string sha256(std::string_view bytes) const override;
    std::string random_bytes(std::size_t n) const override;
    std::string current_kid() const override;
    std::string sign_rs256(std::string_view signing_input) const override;
    bool verify_rs256(std::string_view kid, std::string_view signing_input, std::string_view signature,
                      std::chrono::system_clock::time_point now) const override;
    std::vector<identity::Jwk> published_keys(std::chrono::system_clock::time_point now) const override;
    std::string rotate_signing_key(std::chrono::system_clock::time_point now, std::chrono::seconds grace) override;
    std::optional<identity::CertificateInfo> inspect_certificate(std::string_view pem) const override;
    bool verify_rs256_with_certificate(std::string_view pem, std::string_view signing_input,
                                       std::string_view signature) const override;

    const std::filesystem::path& key_dir() const { return dir_; }

    struct Key;  // identity_crypto.cpp

private:
    struct KeySet;
    std::shared_ptr<const KeySet> snapshot() const;
    void persist(const KeySet& keys) const;

    std::filesystem::path dir_;
    mutable std::mutex mutex_;
    std::shared_ptr<const KeySet> keys_;  // replaced whole on rotation; readers keep their copy
};

}  // namespace exosim::transport
