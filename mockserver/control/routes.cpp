// The route table: every resource's routes, in one place.
#include "control/routes.hpp"

namespace exosim::control {

Router make_router(RouteContext& ctx) {
    Router router;
    add_system_routes(router, ctx);
    add_exchange_routes(router, ctx);
    add_message_routes(router, ctx);
    add_session_routes(router, ctx);
    add_scenario_routes(router, ctx);
    add_identity_routes(router, ctx);
    router.add(Method::get, std::string(api_prefix) + "/events", [](const ApiRequest&) -> ApiResponse {
        throw ApiError(426, "upgrade_required", "GET /api/v1/events is a WebSocket: send Upgrade: websocket");
    });
    return router;
}

}  // namespace exosim::control
