#include "control/router.hpp"

#include <algorithm>
#include <stdexcept>

namespace exosim::control {

namespace {

bool is_capture(const std::string& segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

std::vector<std::string> path_segments(const std::string& path) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t slash = path.find('/', start);
        if (slash == std::string::npos) slash = path.size();
        if (slash > start) out.push_back(path.substr(start, slash - start));
        start = slash + 1;
    }
    return out;
}

void Router::add(Method method, const std::string& pattern, Handler handler) {
    if (pattern.empty() || pattern.front() != '/') throw std::invalid_argument("route pattern must start with /: " + pattern);
    for (const Route& r : routes_)
        if (r.method == method && r.pattern == pattern)
            throw std::invalid_argument("duplicate route " + std::string(method_name(method)) + " " + pattern);
    routes_.push_back({method, pattern, path_segments(pattern), std::move(handler)});
}

bool Router::match(const Route& route, const std::vector<std::string>& path,
                   std::map<std::string, std::string>* params) {
    if (route.segments.size() != path.size()) return false;
    for (std::size_t i = 0; i < path.size(); ++i) {
        const std::string& seg = route.segments[i];
        if (is_capture(seg)) {
            if (params) (*params)[seg.substr(1, seg.size() - 2)] = path[i];
        } else if (seg != path[i]) {
            return false;
        }
    }
    return true;
}

bool Router::matches(Method method, const std::string& path) const {
    const auto segments = path_segments(path);
    return std::any_of(routes_.begin(), routes_.end(),
                       [&](const Route& r) { return r.method == method && match(r, segments, nullptr); });
}

ApiResponse Router::dispatch(ApiRequest request) const {
    const auto segments = path_segments(request.path);
    const Route* chosen = nullptr;
    std::vector<Method> allowed;
    for (const Route& r : routes_) {
        if (!match(r, segments, nullptr)) continue;
        allowed.push_back(r.method);
        // A literal route wins over a capture at the same place (/scenarios/armed vs {id}):
        // routes are tried in registration order, so register literals first.
        if (r.method == request.method && !chosen) chosen = &r;
    }
    if (allowed.empty()) return error_response(404, "not_found", "no such resource: " + request.path);
    if (!chosen) {
        std::string allow;
        for (Method m : allowed)
            if (allow.find(method_name(m)) == std::string::npos)
                allow += (allow.empty() ? "" : ", ") + std::string(method_name(m));
        ApiResponse r = error_response(405, "method_not_allowed",
                                       std::string(method_name(request.method)) + " is not allowed on " +
                                           request.path + " (allowed: " + allow + ")");
        r.headers.emplace_back("Allow", allow);
        return r;
    }
    match(*chosen, segments, &request.params);
    try {
        return chosen->handler(request);
    } catch (const ApiError& e) {
        return error_response(e.status(), e.code(), e.what());
    } catch (const std::exception& e) {
        return error_response(500, "internal", e.what());
    }
}

}  // namespace exosim::control
