#include "app/profiles.hpp"

#include <memory>
#include <stdexcept>

#include "app/exchange_runtime.hpp"
#include "policy/exchange_online/factory.hpp"
#include "policy/rfc_policy.hpp"
#include "transport/exchange_tls.hpp"

namespace exosim::app {

namespace {

constexpr std::string_view profiles[] = {"rfc", "exo-submission", "exo-legacy", "exo-mx", "exo-465"};

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

bool exchange_tls_default(std::string_view profile) { return policy::exo::is_exo_profile(profile); }

std::vector<transport::ListenerConfig> effective_listeners(const AppConfig& config) {
    std::vector<transport::ListenerConfig> out = config.listeners;
    for (auto& l : out) {
        if (l.profile == "exo-mx") {
            l.tls.request_client_cert = true;
            for (const auto& t : config.directory.tenants)
                for (const auto& c : t.connectors)
                    if (!c.trusted_ca.empty()) l.tls.client_ca_files.push_back(c.trusted_ca);
        }
        if (exchange_tls_default(l.profile) && l.tls.ciphers.empty()) {
            // §8: Microsoft's published suites in its order; other suites on TLS 1.0/1.1.
            l.tls.ciphers = std::string(transport::exchange_tls12_ciphers);
            l.tls.legacy_ciphers = std::string(transport::exchange_legacy_ciphers);
            l.tls.server_preference = true;
        }
        if (l.profile != "exo-465" || l.behaviour != transport::ListenerBehaviour::smtp) continue;
        // §1 [WIRE]: Microsoft's port 465 accepts the TCP connection and never answers.
        switch (config.exchange.implicit_tls) {
            case policy::exo::ImplicitTlsBehaviour::silent: l.behaviour = transport::ListenerBehaviour::blackhole; break;
            case policy::exo::ImplicitTlsBehaviour::refuse: l.behaviour = transport::ListenerBehaviour::refuse; break;
            case policy::exo::ImplicitTlsBehaviour::serve: l.tls.mode = transport::TlsMode::implicit; break;
        }
    }
    return out;
}

transport::PolicyFactory make_policy_factory(const AppConfig& config, std::shared_ptr<const ExchangeRuntime> runtime) {
    for (const auto& l : config.listeners)
        if (policy::exo::is_exo_profile(l.profile) && !runtime)
            throw std::invalid_argument("listener " + l.name + ": profile " + l.profile + " needs the Exchange runtime");
    auto base = std::make_shared<const policy::RfcPolicyConfig>(rfc_base(config));
    return [base, runtime](const transport::ListenerConfig& listener,
                           const core::ConnectionInfo& connection) -> std::unique_ptr<core::SessionPolicy> {
        if (policy::exo::is_exo_profile(listener.profile))
            return policy::exo::make_exo_policy(listener.profile, runtime->environment(), connection);
        policy::RfcPolicyConfig c = *base;
        c.hostname = listener.hostname;
        c.tls_available = listener.tls.mode == transport::TlsMode::starttls;
        return std::make_unique<policy::RfcPolicy>(std::move(c));
    };
}

}  // namespace exosim::app
