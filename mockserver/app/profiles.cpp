#include "app/profiles.hpp"

#include <memory>

#include "policy/rfc_policy.hpp"

namespace exosim::app {

namespace {

constexpr std::string_view profiles[] = {"rfc"};

policy::RfcPolicyConfig rfc_base(const AppConfig& config) {
    policy::RfcPolicyConfig base;
    base.accounts = config.accounts;
    base.engine.bare_line_endings = config.bare_line_endings;
    base.engine.reject_pregreet = config.pregreet == PregreetMode::reject;
    return base;
}

}  // namespace

bool is_known_profile(std::string_view name) {
    for (std::string_view p : profiles)
        if (p == name) return true;
    return false;
}

std::string known_profiles() {
    std::string out;
    for (std::string_view p : profiles) out += (out.empty() ? "" : ", ") + std::string(p);
    return out;
}

transport::PolicyFactory make_policy_factory(const AppConfig& config) {
    auto base = std::make_shared<const policy::RfcPolicyConfig>(rfc_base(config));
    return [base](const transport::ListenerConfig& listener,
                  const core::ConnectionInfo&) -> std::unique_ptr<core::SessionPolicy> {
        policy::RfcPolicyConfig c = *base;
        c.hostname = listener.hostname;
        c.tls_available = listener.tls.mode == transport::TlsMode::starttls;
        // An implicit-TLS session is encrypted from the first byte: AUTH needs no STARTTLS.
        if (listener.tls.mode == transport::TlsMode::implicit) c.require_tls_for_auth = false;
        return std::make_unique<policy::RfcPolicy>(std::move(c));
    };
}

}  // namespace exosim::app
