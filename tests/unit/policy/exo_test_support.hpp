#pragma once
// Shared fixtures for the Exchange Online policy tests: a virtual clock at the reference's banner
// time, the default directory, no tarpit, the sign-in service for XOAUTH2 (with_identity()), and
// SessionState builders.
#include <chrono>
#include <memory>
#include <string>

#include "core/session_policy.hpp"
#include "core/session_state.hpp"
#include "policy/exchange_online/environment.hpp"
#include "policy/virtual_clock.hpp"
#include "support/test_identity.hpp"

namespace exosim::policy::exo::testing {

using namespace std::chrono_literals;

// Sun, 23 Nov 2025 11:12:20.000 +0000 (the reference §2 banner).
inline std::chrono::system_clock::time_point reference_time() {
    return std::chrono::sys_days{std::chrono::year{2025} / 11 / 23} + 11h + 12min + 20s;
}

inline constexpr const char* session_id = "08DE2A6028D26C22";
inline constexpr const char* bracket_at_reference =
    "[SY5P282CA0097.AUSP282.PROD.OUTLOOK.COM 2025-11-23T11:12:20.000Z 08DE2A6028D26C22]";
inline constexpr const char* mx_bracket_at_reference =
    "[SG2PEPF000B66CE.apcprd03.prod.outlook.com 2025-11-23T11:12:20.000Z 08DE2A6028D26C22]";

struct Fixture {
    std::shared_ptr<VirtualClock> clock = std::make_shared<VirtualClock>(reference_time());
    std::shared_ptr<Directory> directory = std::make_shared<Directory>(default_directory());
    ExoSettings settings;
    ThrottleLimits limits;
    // The sign-in service XOAUTH2 verifies with; none until with_identity() (every token refused).
    std::unique_ptr<test::TestIdentity> identity;

    Fixture() { settings.auth_tarpit = std::chrono::milliseconds(0); }

    // The sign-in service over this fixture's clock and directory: env() from now on verifies
    // XOAUTH2 with it, and its mint() makes the tokens.
    test::TestIdentity& with_identity() {
        if (!identity) identity = std::make_unique<test::TestIdentity>(clock, directory);
        return *identity;
    }

    std::shared_ptr<const ExoEnvironment> env() const {
        return make_environment(identity ? identity->verifier() : nullptr, clock, directory, settings, limits);
    }
};

inline core::SessionState state(std::string seen = "192.0.2.1", core::TlsVersion tls = core::TlsVersion::none) {
    core::SessionState s;
    s.connection.session_id = session_id;
    s.connection.listener = "test";
    s.connection.client_address = "127.0.0.1";
    s.connection.seen_address = std::move(seen);
    s.tls.version = tls;
    if (tls != core::TlsVersion::none) s.tls.cipher = "ECDHE-RSA-AES256-GCM-SHA384";
    s.helo = "printer.local";
    s.esmtp = true;
    return s;
}

inline core::Path path(const std::string& address) {
    core::Path p;
    const auto at = address.rfind('@');
    p.mailbox.local_part = address.substr(0, at);
    p.mailbox.domain = address.substr(at + 1);
    return p;
}

inline core::Credentials login(std::string user, std::string password) {
    return core::Credentials{"LOGIN", "", std::move(user), std::move(password)};
}

}  // namespace exosim::policy::exo::testing
