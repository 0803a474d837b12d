#pragma once
// Fills ControlServices from the objects `exosim serve` owns. Templates over the runtime and the
// slot so this library does not link the layers built after it (app, harness): serve.cpp
// instantiates them with app::ExchangeRuntime and harness::ScenarioSlot. Optional runtime
// operations (patch_settings) are detected, so the API grows with the runtime without edits here.
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

#include <boost/json/value.hpp>

#include "control/api.hpp"
#include "control/services.hpp"

namespace exosim::control {

// Sections of /config that only a restart changes, with the hint the 409 carries.
inline std::string immutable_hint(std::string_view section) {
    if (section == "tenants" || section == "blocked_ips" || section == "spf_records")
        return "use PATCH /api/v1/tenants/{domain} for tenant settings";
    return "restart exosim with a changed configuration file";
}

// `runtime` must outlive the services (app::ExchangeRuntime, held by shared_ptr in serve).
template <class Runtime>
void bind_exchange_runtime(ControlServices& s, std::shared_ptr<Runtime> runtime) {
    s.tenants = [runtime] { return runtime->tenants_json(); };
    s.patch_tenant = [runtime](const std::string& domain, const boost::json::value& patch) {
        runtime->patch_tenant(domain, patch);
    };
    s.virtual_clock = [runtime] { return runtime->virtual_clock(); };
    s.now = [runtime] { return runtime->now(); };
    s.advance_clock = [runtime](std::chrono::seconds by) { runtime->advance_clock(by); };
    s.mint_token = [runtime](const std::string& user, std::chrono::seconds ttl, const std::string& audience) {
        return runtime->mint_token(user, ttl, audience);
    };
    s.reset_runtime = [runtime] { runtime->reset(); };
    s.patch_config = [runtime](const boost::json::object& patch) {
        for (const auto& kv : patch) {
            if (kv.key() != "exchange")
                throw ApiError(409, "immutable", std::string(kv.key()) + ": not changeable at runtime; " +
                                                     immutable_hint(kv.key()));
        }
        if constexpr (requires(Runtime& r, const boost::json::value& v) { r.patch_settings(v); }) {
            runtime->patch_settings(patch.at("exchange"));
        } else {
            throw ApiError(409, "immutable", "exchange: this build cannot change exchange settings at runtime");
        }
    };
}

// `slot` must outlive the services (harness::ScenarioSlot).
template <class Slot>
void bind_scenario_slot(ControlServices& s, Slot& slot) {
    s.arm_scenario = [&slot](std::shared_ptr<const scenario::Scenario> sc) { slot.arm(std::move(sc)); };
    s.clear_scenario = [&slot] { slot.clear(); };
    s.armed_scenario = [&slot] { return slot.armed(); };
    s.scenario_connections = [&slot] { return slot.connections(); };
    s.scenario_active = [&slot] { return slot.active_sessions(); };
    s.judge_scenario = [&slot] { return slot.judge(); };
}

}  // namespace exosim::control
