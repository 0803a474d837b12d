#include "app/server_options.hpp"

#include "app/profiles.hpp"

namespace exosim::app {

harness::ScenarioSlot::TenantOverrides tenant_overrides(std::shared_ptr<ExchangeRuntime> exchange) {
    return [exchange = std::move(exchange)](const std::map<std::string, std::string>& overrides) {
        if (overrides.empty()) exchange->reset_overrides();
        else exchange->apply_overrides(overrides);
    };
}

transport::ServerOptions server_options(const AppConfig& config, std::shared_ptr<ExchangeRuntime> exchange,
                                        store::MessageStore& store, transport::SessionRegistry& registry,
                                        transport::CertificateAuthority& ca, harness::ScenarioSlot& slot) {
    transport::ServerOptions so;
    so.listeners = effective_listeners(config);
    so.threads = config.threads;
    so.policy_factory = make_policy_factory(config, std::move(exchange));
    so.seen_address = [map = config.address_map](std::string_view a) { return map.seen(a); };
    so.store = &store;
    so.registry = &registry;
    so.ca = &ca;
    so.session_hook = slot.session_hook(&ca);
    return so;
}

}  // namespace exosim::app
