#pragma once
// Method + path-pattern routing for the control API, sans-I/O. Patterns are literal segments and
// `{name}` captures ("/api/v1/messages/{id}/raw"). dispatch() never throws: unknown paths are
// 404, a known path with another method 405 with Allow, ApiError its own status, any other
// exception 500; every error is the JSON error document.
#include <functional>
#include <string>
#include <vector>

#include "control/api.hpp"

namespace exosim::control {

class Router {
public:
    using Handler = std::function<ApiResponse(const ApiRequest&)>;

    // Throws std::invalid_argument for a malformed pattern or a duplicate method+pattern.
    void add(Method method, const std::string& pattern, Handler handler);
    ApiResponse dispatch(ApiRequest request) const;

    // Whether some route matches `path` with `method` (the server checks WebSocket upgrades).
    bool matches(Method method, const std::string& path) const;

private:
    struct Route {
        Method method;
        std::string pattern;
        std::vector<std::string> segments;  // "{id}" marks a capture
        Handler handler;
    };
    static bool match(const Route& route, const std::vector<std::string>& path,
                      std::map<std::string, std::string>* params);

    std::vector<Route> routes_;
};

// Path segments of "/a/b/" -> {"a", "b"}; empty segments are dropped (so "//a" is "/a").
std::vector<std::string> path_segments(const std::string& path);

}  // namespace exosim::control
