#pragma once
// Test-only Crypto: real SHA-256 (OpenSSL libcrypto, so PKCE S256 matches RFC 7636's vector),
// deterministic "random" bytes, and a keyed-checksum "signature" (SHA-256 of key || input) that is
// consistent and forgeable only by knowing the key. Certificates are fake PEM texts
// ("-----BEGIN CERTIFICATE-----\nFAKE:<name>:<not_after unix>\n-----END CERTIFICATE-----").
#include <openssl/evp.h>

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "identity/crypto.hpp"
#include "identity/durable_log.hpp"
#include "identity/jwt.hpp"

namespace exosim::identity::testing {

inline std::string sha256_of(std::string_view in) {
    unsigned char out[32];
    unsigned len = 0;
    EVP_Digest(in.data(), in.size(), out, &len, EVP_sha256(), nullptr);
    return std::string(reinterpret_cast<char*>(out), len);
}

inline std::string fake_certificate(std::string_view name, std::int64_t not_after = 4102444800) {
    return "-----BEGIN CERTIFICATE-----\nFAKE:" + std::string(name) + ":" + std::to_string(not_after) +
           "\n-----END CERTIFICATE-----\n";
}
// What a client holding `pem`'s private key signs (RS256).
inline std::string fake_certificate_signature(std::string_view pem, std::string_view input) {
    return sha256_of("cert:" + std::string(pem) + "|" + std::string(input));
}
// The same client's PS256 signature: another value, so an RS256 signature under "alg":"PS256"
// (or the reverse) does not verify.
inline std::string fake_certificate_pss_signature(std::string_view pem, std::string_view input) {
    return sha256_of("pss:" + std::string(pem) + "|" + std::string(input));
}

class FakeCrypto final : public Crypto {
public:
    explicit FakeCrypto(std::string seed = "seed") : seed_(std::move(seed)) { keys_["kid-1"] = Key{"secret-1", {}}; }

    std::string sha256(std::string_view bytes) const override { return sha256_of(bytes); }
    std::string random_bytes(std::size_t n) const override {
        std::lock_guard lock(mu_);
        std::string out;
        while (out.size() < n) out += sha256_of(seed_ + std::to_string(counter_++));
        return out.substr(0, n);
    }
    std::string current_kid() const override {
        std::lock_guard lock(mu_);
        return current_;
    }
    std::string sign_rs256(std::string_view input) const override {
        std::lock_guard lock(mu_);
        return sign_with(keys_.at(current_).secret, input);
    }
    bool verify_rs256(std::string_view kid, std::string_view input, std::string_view sig,
                      std::chrono::system_clock::time_point now) const override {
        std::lock_guard lock(mu_);
        const auto it = keys_.find(std::string(kid));
        if (it == keys_.end() || !live(it->first, it->second, now)) return false;
        return sign_with(it->second.secret, input) == sig;
    }
    std::vector<Jwk> published_keys(std::chrono::system_clock::time_point now) const override {
        std::lock_guard lock(mu_);
        std::vector<Jwk> out;
        for (const auto& [kid, k] : keys_) {
            if (!live(kid, k, now)) continue;
            out.push_back(Jwk{kid, base64url_encode(sha256_of("n" + kid)), "AQAB",
                              base64url_encode(sha256_of("x5t" + kid).substr(0, 20)),
                              {base64_encode_std("cert-" + kid)}});
        }
        return out;
    }
    std::string rotate_signing_key(std::chrono::system_clock::time_point now, std::chrono::seconds grace) override {
        std::lock_guard lock(mu_);
        keys_[current_].retired_until = now + grace;
        current_ = "kid-" + std::to_string(keys_.size() + 1);
        keys_[current_] = Key{"secret-" + current_, {}};
        return current_;
    }
    std::optional<CertificateInfo> inspect_certificate(std::string_view pem) const override {
        const auto a = pem.find("FAKE:");
        if (a == std::string_view::npos) return std::nullopt;
        const auto colon = pem.find(':', a + 5);
        const auto end = pem.find('\n', colon);
        const std::int64_t not_after = std::stoll(std::string(pem.substr(colon + 1, end - colon - 1)));
        return CertificateInfo{x5t_of(pem), base64url_encode(sha256_of(pem)),
                               std::chrono::system_clock::time_point{},
                               std::chrono::system_clock::time_point(std::chrono::seconds(not_after))};
    }
    bool verify_rs256_with_certificate(std::string_view pem, std::string_view input,
                                       std::string_view sig) const override {
        return fake_certificate_signature(pem, input) == sig;
    }
    bool verify_ps256_with_certificate(std::string_view pem, std::string_view input,
                                       std::string_view sig) const override {
        return fake_certificate_pss_signature(pem, input) == sig;
    }

    static std::string x5t_of(std::string_view pem) { return base64url_encode(sha256_of(pem).substr(0, 20)); }
    // A signature by a key the service does not know (forgery tests).
    static std::string foreign_signature(std::string_view input) { return sign_with("attacker", input); }

private:
    struct Key {
        std::string secret;
        std::optional<std::chrono::system_clock::time_point> retired_until;
    };
    static std::string sign_with(std::string_view secret, std::string_view input) {
        return sha256_of(std::string(secret) + "|" + std::string(input));
    }
    bool live(const std::string& kid, const Key& k, std::chrono::system_clock::time_point now) const {
        return kid == current_ || (k.retired_until && now < *k.retired_until);
    }

    mutable std::mutex mu_;
    std::string seed_;
    mutable std::uint64_t counter_ = 0;
    std::map<std::string, Key> keys_;
    std::string current_ = "kid-1";
};

// Thread-safe as DurableLog requires (the service appends outside its lock).
class MemoryLog final : public DurableLog {
public:
    void append(std::string_view record) override {
        std::lock_guard lock(mu_);
        records.emplace_back(record);
    }
    std::vector<std::string> replay() override { return records; }
    void rewrite(const std::vector<std::string>& r) override {
        records = r;
        ++rewrites;
    }
    std::vector<std::string> records;
    int rewrites = 0;

private:
    std::mutex mu_;
};

}  // namespace exosim::identity::testing
