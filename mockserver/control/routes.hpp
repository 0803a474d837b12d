#pragma once
// The /api/v1 routes, one file per resource (routes_*.cpp), over the state they share.
#include <mutex>

#include <boost/json/object.hpp>

#include "control/identity_requests.hpp"
#include "control/metrics.hpp"
#include "control/router.hpp"
#include "control/services.hpp"
#include "control/session_log.hpp"

namespace exosim::control {

inline constexpr const char* api_prefix = "/api/v1";

struct RouteContext {
    ControlServices services;
    Metrics metrics;
    SessionLog sessions{false};
    // Runtime /config patches that succeeded, merged over services.config() by GET /config.
    std::mutex config_mutex;
    boost::json::object config_overlay;
    IdentityRequests identity_requests;  // the sign-in service's newest requests

    explicit RouteContext(ControlServices s)
        : services(std::move(s)), sessions(services.capture != store::CaptureMode::disk) {}
};

void add_system_routes(Router& router, RouteContext& ctx);     // health, version, config, reset, metrics
void add_exchange_routes(Router& router, RouteContext& ctx);   // tenants, clock, tokens
void add_message_routes(Router& router, RouteContext& ctx);
void add_session_routes(Router& router, RouteContext& ctx);
void add_scenario_routes(Router& router, RouteContext& ctx);
void add_identity_routes(Router& router, RouteContext& ctx);   // sign-in service: approvals, faults, log

// Every route above. GET /api/v1/events (WebSocket) is served by the HTTP server itself; the
// router answers it 426 for plain HTTP requests.
Router make_router(RouteContext& ctx);

// Runs a service call, mapping the services.hpp error contract to ApiError.
template <class F>
auto call_service(const char* what, F&& f) -> decltype(f());
// 409 not_available when a service member is empty.
template <class Fn>
const Fn& require_service(const Fn& fn, const char* what);

}  // namespace exosim::control

#include "control/routes_impl.hpp"
