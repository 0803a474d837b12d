#pragma once
// What the control API operates on. The server objects it reads directly (message store, session
// registry); the Exchange Online runtime and the scenario slot belong to layers built after this
// one (app, harness), so they are reached through std::function members that app_wiring.hpp fills
// from the real objects. An empty member means "not available in this process": its routes answer
// 409 (or 404), never crash.
//
// Error contract for the functions: std::invalid_argument -> 400, std::out_of_range -> 404,
// std::logic_error -> 409, ApiError -> its own status.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "scenario/model.hpp"
#include "scenario/verdict.hpp"
#include "store/message_store.hpp"
#include "transport/registry.hpp"

namespace exosim::identity {
class IdentityService;
}

namespace exosim::control {

struct ControlServices {
    std::string version;
    store::MessageStore* store = nullptr;            // required
    transport::SessionRegistry* registry = nullptr;  // required
    std::filesystem::path data_dir;                  // <data_dir>/sessions holds disk transcripts
    store::CaptureMode capture = store::CaptureMode::disk;

    // The effective configuration as JSON (GET /config).
    std::function<boost::json::value()> config;
    // Applies the runtime-changeable part of a /config patch, e.g. {"exchange": {"auth_tarpit": 0}}.
    // Throws ApiError for unknown (400) or immutable (409) keys.
    std::function<void(const boost::json::object& patch)> patch_config;

    // Exchange Online runtime.
    std::function<boost::json::value()> tenants;
    std::function<void(const std::string& domain, const boost::json::value& patch)> patch_tenant;
    std::function<bool()> virtual_clock;
    std::function<std::chrono::system_clock::time_point()> now;
    std::function<void(std::chrono::seconds by)> advance_clock;
    std::function<std::string(const std::string& user, std::chrono::seconds ttl, const std::string& audience)>
        mint_token;
    std::function<void()> reset_runtime;  // throttles, lockouts, clock offset, overrides

    // The armed scenario (harness::ScenarioSlot).
    std::function<void(std::shared_ptr<const scenario::Scenario>)> arm_scenario;
    std::function<void()> clear_scenario;
    std::function<std::shared_ptr<const scenario::Scenario>()> armed_scenario;
    std::function<std::size_t()> scenario_connections;
    std::function<std::size_t()> scenario_active;
    std::function<scenario::Findings()> judge_scenario;

    // The sign-in service (app::IdentityRuntime owns it and outlives the API); null: its routes 409.
    identity::IdentityService* identity = nullptr;
};

}  // namespace exosim::control
