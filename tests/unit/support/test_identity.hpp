#pragma once
// The sign-in service as unit tests mint and check XOAUTH2 tokens with it: an
// identity::IdentityService over the embedded default directory (built on the test's mail
// directory), the test's clock, FakeCrypto's in-memory key and an in-memory log. No files, no
// sockets, no RSA key generation; the verifier is the one `exosim serve` attaches to the
// submission endpoints (ExchangeRuntime::attach_tokens), so a test's XOAUTH2 goes through every
// claim check Exchange makes. Link exosim_identity and OpenSSL::Crypto (FakeCrypto's SHA-256).
#include <chrono>
#include <memory>
#include <string>

#include "identity/identity_directory.hpp"
#include "identity/identity_service.hpp"
#include "identity/support/fake_crypto.hpp"
#include "policy/clock.hpp"
#include "policy/tenant.hpp"

namespace exosim::test {

class TestIdentity {
public:
    explicit TestIdentity(std::shared_ptr<const policy::Clock> clock,
                          std::shared_ptr<const policy::Directory> mail =
                              std::make_shared<const policy::Directory>(policy::default_directory()))
        : service_(identity::default_identity_directory(std::move(mail),
                                                        identity::testing::fake_certificate("scan-daemon")),
                   std::move(clock), crypto_, log_, identity::IdentitySettings{}) {}
    TestIdentity(const TestIdentity&) = delete;
    TestIdentity& operator=(const TestIdentity&) = delete;

    // What XOAUTH2 checks with (shares the service's live state: a rotated key or a changed
    // sign-in state applies to the next check).
    std::shared_ptr<const policy::TokenVerifier> verifier() const { return service_.smtp_verifier(); }

    // A delegated token of Contoso Print Fleet (scp SMTP.Send) for `user`, `audience` as aud
    // (empty: https://outlook.office.com), issued now on the clock. Throws std::invalid_argument
    // for a user the directory does not know.
    std::string mint(const std::string& user, std::chrono::seconds ttl = std::chrono::hours(1),
                     const std::string& audience = {}) {
        identity::MintRequest r;
        r.user = user;
        r.audience = audience;
        r.lifetime = ttl;
        return identity::mint_or_throw(service_, r);
    }
    // An app-only token of Contoso Scan Daemon (roles SMTP.SendAsApp) in `tenant` (domain or id).
    std::string mint_app_only(const std::string& tenant, std::chrono::seconds ttl = std::chrono::hours(1)) {
        identity::MintRequest r;
        r.tenant = tenant;
        r.lifetime = ttl;
        return identity::mint_or_throw(service_, r);
    }

    identity::IdentityService& service() { return service_; }
    identity::testing::FakeCrypto& crypto() { return crypto_; }

private:
    identity::testing::FakeCrypto crypto_;
    identity::testing::MemoryLog log_;
    identity::IdentityService service_;
};

}  // namespace exosim::test
