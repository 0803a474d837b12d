// /health, /version, /config, /reset, /metrics.
#include <boost/json/array.hpp>

#include "control/request_json.hpp"
#include "control/routes.hpp"

namespace exosim::control {

namespace json = boost::json;

namespace {

// RFC 7396 JSON merge patch semantics, without null-deletes (a config key cannot be removed).
void merge(json::object& into, const json::object& patch) {
    for (const auto& kv : patch) {
        json::value* existing = into.if_contains(kv.key());
        if (existing && existing->is_object() && kv.value().is_object()) merge(existing->as_object(), kv.value().as_object());
        else into[kv.key()] = kv.value();
    }
}

json::value effective_config(RouteContext& ctx) {
    json::value config = require_service(ctx.services.config, "configuration")();
    std::lock_guard lock(ctx.config_mutex);
    if (config.is_object()) merge(config.as_object(), ctx.config_overlay);
    return config;
}

ApiResponse patch_config(RouteContext& ctx, const ApiRequest& req) {
    const json::object patch = parse_object_body(req);
    if (patch.empty()) throw ApiError(400, "empty_patch", "the patch changes nothing");
    const json::value current = effective_config(ctx);
    for (const auto& kv : patch)
        if (!current.is_object() || !current.as_object().contains(kv.key()))
            throw ApiError(400, "unknown_field", std::string(kv.key()) + ": not a configuration section");
    if (!ctx.services.patch_config)
        throw ApiError(409, "immutable", "no configuration section can be changed at runtime in this server");
    call_service("config", [&] { ctx.services.patch_config(patch); });
    {
        std::lock_guard lock(ctx.config_mutex);
        merge(ctx.config_overlay, patch);
    }
    return json_response(200, effective_config(ctx));
}

ApiResponse reset(RouteContext& ctx) {
    json::array done;
    ctx.services.store->clear();
    done.push_back("messages");
    ctx.sessions.reset();
    done.push_back("sessions");
    if (ctx.services.reset_runtime) {
        call_service("reset", [&] { ctx.services.reset_runtime(); });
        done.push_back("throttles");
        done.push_back("clock");
    }
    if (ctx.services.clear_scenario) {
        ctx.services.clear_scenario();
        done.push_back("scenario");
    }
    return json_response(200, json::object{{"reset", std::move(done)}});
}

}  // namespace

void add_system_routes(Router& router, RouteContext& ctx) {
    const std::string p = api_prefix;
    router.add(Method::get, p + "/health", [&ctx](const ApiRequest&) {
        return json_response(200, json::object{{"status", "ok"},
                                               {"sessions_active", ctx.services.registry->active_count()}});
    });
    router.add(Method::get, p + "/version", [&ctx](const ApiRequest&) {
        return json_response(200, json::object{{"name", "exosim"}, {"version", ctx.services.version}, {"api", "v1"}});
    });
    router.add(Method::get, p + "/config", [&ctx](const ApiRequest&) { return json_response(200, effective_config(ctx)); });
    router.add(Method::patch, p + "/config", [&ctx](const ApiRequest& req) { return patch_config(ctx, req); });
    router.add(Method::post, p + "/reset", [&ctx](const ApiRequest& req) {
        parse_object_body(req, false);  // a body, when sent, must at least be JSON
        return reset(ctx);
    });
    auto metrics = [&ctx](const ApiRequest&) {
        return text_response(200, "text/plain; version=0.0.4; charset=utf-8", ctx.metrics.render());
    };
    router.add(Method::get, p + "/metrics", metrics);
    router.add(Method::get, "/metrics", metrics);  // where Prometheus looks by default
}

}  // namespace exosim::control
