#pragma once
// The cryptography the sign-in service needs, behind an interface so exosim::identity stays free
// of OpenSSL (DESIGN.md: "crypto through an interface whose OpenSSL implementation lives with
// transport"). The OpenSSL implementation is transport/identity_crypto.*; unit tests may use it
// too (it needs no network). Every member is thread-safe.
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace exosim::identity {

// One RSA public key as the JWKS publishes it (RFC 7517; Entra adds x5t, x5c and issuer).
struct Jwk {
    std::string kid;
    std::string n;                  // base64url modulus
    std::string e;                  // base64url exponent
    std::string x5t;                // base64url SHA-1 of the certificate's DER
    std::vector<std::string> x5c;   // base64 (not url) DER certificate chain, leaf first
};

// A certificate registered on an app (private_key_jwt client assertions, RFC 7523).
struct CertificateInfo {
    std::string x5t;         // base64url SHA-1 thumbprint of the DER (the assertion header's "x5t")
    std::string x5t_s256;    // base64url SHA-256 thumbprint ("x5t#S256")
    std::chrono::system_clock::time_point not_before;
    std::chrono::system_clock::time_point not_after;
};

class Crypto {
public:
    virtual ~Crypto() = default;

    // Raw 32-octet SHA-256 (PKCE S256, RFC 7636 4.6).
    virtual std::string sha256(std::string_view bytes) const = 0;
    // `n` octets from a CSPRNG (codes, refresh tokens, anti-forgery tokens, GUIDs).
    virtual std::string random_bytes(std::size_t n) const = 0;

    // The signing key that issues tokens now, and RS256 (RSASSA-PKCS1-v1_5 SHA-256) with it.
    virtual std::string current_kid() const = 0;
    virtual std::string sign_rs256(std::string_view signing_input) const = 0;  // raw signature octets
    // True when `signature` is a valid RS256 signature of `signing_input` by the published key `kid`
    // (the current key, or a retired key still inside its grace period at `now`).
    virtual bool verify_rs256(std::string_view kid, std::string_view signing_input, std::string_view signature,
                              std::chrono::system_clock::time_point now) const = 0;
    // The keys the JWKS publishes at `now`: the current key and retired keys inside their grace.
    virtual std::vector<Jwk> published_keys(std::chrono::system_clock::time_point now) const = 0;
    // Makes a new current key (persisted before it returns); the previous one stays published and
    // verifiable until `now + grace`. Returns the new kid.
    virtual std::string rotate_signing_key(std::chrono::system_clock::time_point now,
                                           std::chrono::seconds grace) = 0;

    // Thumbprints and validity of a PEM certificate; nullopt when it is not one.
    virtual std::optional<CertificateInfo> inspect_certificate(std::string_view pem) const = 0;
    // RS256 signature check with the public key of a PEM certificate (client assertions).
    virtual bool verify_rs256_with_certificate(std::string_view pem, std::string_view signing_input,
                                               std::string_view signature) const = 0;
    // PS256 (RSASSA-PSS, SHA-256, MGF1 SHA-256, salt = 32 octets: RFC 7518 §3.5) with the public key
    // of a PEM certificate: msal-node's default client assertion (`thumbprintSha256`).
    virtual bool verify_ps256_with_certificate(std::string_view pem, std::string_view signing_input,
                                               std::string_view signature) const = 0;
};

}  // namespace exosim::identity
