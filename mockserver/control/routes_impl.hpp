#pragma once
// Template definitions for routes.hpp.
#include <stdexcept>
#include <string>

namespace exosim::control {

template <class F>
auto call_service(const char* what, F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const ApiError&) {
        throw;
    } catch (const std::invalid_argument& e) {
        throw ApiError(400, "invalid", std::string(what) + ": " + e.what());
    } catch (const std::out_of_range& e) {
        throw ApiError(404, "not_found", std::string(what) + ": " + e.what());
    } catch (const std::logic_error& e) {
        throw ApiError(409, "conflict", std::string(what) + ": " + e.what());
    }
}

template <class Fn>
const Fn& require_service(const Fn& fn, const char* what) {
    if (!fn) throw ApiError(409, "not_available", std::string(what) + " is not available in this server");
    return fn;
}

}  // namespace exosim::control
