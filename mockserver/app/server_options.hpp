#pragma once
// The transport::ServerOptions that `exosim serve` and `exosim certify` both run: the configured
// listeners with their profiles, the Exchange runtime, capture, and the scenario slot's hook.
#include <memory>

#include "app/config.hpp"
#include "app/exchange_runtime.hpp"
#include "harness/scenario_slot.hpp"
#include "store/message_store.hpp"
#include "transport/certs.hpp"
#include "transport/registry.hpp"
#include "transport/server.hpp"

namespace exosim::app {

// Scenario `tenant:` overrides go to the runtime; an empty map resets them.
harness::ScenarioSlot::TenantOverrides tenant_overrides(std::shared_ptr<ExchangeRuntime> exchange);

// Everything but the transcript sink, signal handling and shutdown grace, which differ.
transport::ServerOptions server_options(const AppConfig& config, std::shared_ptr<ExchangeRuntime> exchange,
                                        store::MessageStore& store, transport::SessionRegistry& registry,
                                        transport::CertificateAuthority& ca, harness::ScenarioSlot& slot);

}  // namespace exosim::app
