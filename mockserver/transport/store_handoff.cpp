#include "transport/store_handoff.hpp"

#include <exception>
#include <iostream>

namespace exosim::transport {

namespace {

StoreOutcome failed(std::string_view session_id, note::StoreFailed failure) {
    std::cerr << "exosim: session " << session_id << ": message not stored ("
              << (failure.kind == StoreFailure::exception ? "exception" : "write failed") << "): " << failure.cause
              << std::endl;
    return {std::nullopt, std::move(failure)};
}

}  // namespace

StoreOutcome guarded_store(std::string_view session_id, const std::function<std::optional<std::string>()>& attempt,
                           const std::function<std::string()>& write_error) {
    try {
        if (std::optional<std::string> id = attempt()) return {std::move(id), std::nullopt};
    } catch (const std::exception& e) {
        return failed(session_id, {StoreFailure::exception, e.what()});
    } catch (...) {
        return failed(session_id, {StoreFailure::exception, "unknown exception"});
    }
    std::string why = write_error();
    return failed(session_id, {StoreFailure::write_failed, why.empty() ? "unknown" : std::move(why)});
}

}  // namespace exosim::transport
