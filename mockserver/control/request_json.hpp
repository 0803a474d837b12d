#pragma once
// Reading JSON request bodies: every problem is an ApiError 400 whose message names the field,
// so a client sees "seconds: must be a positive integer", not a parser's internals.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "control/api.hpp"

namespace exosim::control {

// The body as JSON (400 bad_json on a syntax error, 400 empty_body when empty and required).
boost::json::value parse_body(const ApiRequest& request);
// The body as a JSON object; an empty body is {} unless `required`.
boost::json::object parse_object_body(const ApiRequest& request, bool required = true);

// 400 unknown_field naming the first key of `object` not in `allowed`.
void check_fields(const boost::json::object& object, std::initializer_list<std::string_view> allowed);
std::optional<std::string> string_field(const boost::json::object& object, std::string_view key, bool required);
std::optional<std::int64_t> integer_field(const boost::json::object& object, std::string_view key, bool required);

// Text that may carry arbitrary bytes, made valid UTF-8 for a JSON string (invalid bytes -> U+FFFD).
boost::json::string json_text(std::string_view bytes);

}  // namespace exosim::control
