#include "control/request_json.hpp"

#include <boost/json/parse.hpp>

#include "store/json_text.hpp"

namespace exosim::control {

boost::json::value parse_body(const ApiRequest& request) {
    if (request.body.find_first_not_of(" \t\r\n") == std::string::npos)
        throw ApiError(400, "empty_body", "this request needs a JSON body");
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(request.body, ec);
    if (ec) throw ApiError(400, "bad_json", "request body is not valid JSON: " + ec.message());
    return v;
}

boost::json::object parse_object_body(const ApiRequest& request, bool required) {
    if (!required && request.body.find_first_not_of(" \t\r\n") == std::string::npos) return {};
    boost::json::value v = parse_body(request);
    if (!v.is_object()) throw ApiError(400, "bad_json", "request body must be a JSON object");
    return std::move(v.as_object());
}

void check_fields(const boost::json::object& object, std::initializer_list<std::string_view> allowed) {
    for (const auto& kv : object) {
        bool known = false;
        for (std::string_view a : allowed) known = known || kv.key() == a;
        if (known) continue;
        std::string list;
        for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        throw ApiError(400, "unknown_field", std::string(kv.key()) + ": unknown field (allowed: " + list + ")");
    }
}

std::optional<std::string> string_field(const boost::json::object& object, std::string_view key, bool required) {
    const boost::json::value* v = object.if_contains(key);
    if (!v || v->is_null()) {
        if (required) throw ApiError(400, "missing_field", std::string(key) + ": required");
        return std::nullopt;
    }
    if (!v->is_string()) throw ApiError(400, "bad_field", std::string(key) + ": must be a string");
    return std::string(v->as_string());
}

std::optional<std::int64_t> integer_field(const boost::json::object& object, std::string_view key, bool required) {
    const boost::json::value* v = object.if_contains(key);
    if (!v || v->is_null()) {
        if (required) throw ApiError(400, "missing_field", std::string(key) + ": required");
        return std::nullopt;
    }
    if (v->is_int64()) return v->as_int64();
    if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
        return static_cast<std::int64_t>(v->as_uint64());
    if (v->is_double()) {
        const double d = v->as_double();
        if (d == static_cast<double>(static_cast<std::int64_t>(d)) && d > -9.0e18 && d < 9.0e18)
            return static_cast<std::int64_t>(d);
    }
    throw ApiError(400, "bad_field", std::string(key) + ": must be an integer");
}

boost::json::string json_text(std::string_view bytes) {
    if (store::is_valid_utf8(bytes)) return boost::json::string(bytes);
    return boost::json::string(store::to_valid_utf8(bytes));
}

}  // namespace exosim::control
