#include "identity/http_message.hpp"

#include "core/ascii.hpp"

namespace exosim::identity {

std::string_view HttpRequest::header(std::string_view name) const {
    for (const auto& [n, v] : headers) {
        if (core::ascii::iequals(n, name)) return v;
    }
    return {};
}

std::size_t HttpRequest::header_count(std::string_view name) const {
    std::size_t count = 0;
    for (const auto& h : headers) count += core::ascii::iequals(h.first, name) ? 1 : 0;
    return count;
}

}  // namespace exosim::identity
