#pragma once
// application/x-www-form-urlencoded (WHATWG URL "application/x-www-form-urlencoded serializing")
// for token requests, and the query decoding the loopback redirect listener needs (RFC 6749 4.1.2).
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace exosim::client::oauth {

using FormParams = std::vector<std::pair<std::string, std::string>>;

// Unreserved characters (RFC 3986 2.3) stay, space becomes '+', every other octet %XX (upper case).
std::string form_encode_component(std::string_view text);
// name=value pairs joined by '&', in the order given (the wire order is deterministic for tests).
std::string form_encode(const FormParams& params);
// Decodes a query or form body; nullopt for a malformed %-escape. '+' is a space.
std::optional<FormParams> form_decode(std::string_view body);
// The first value of `name`, or nullopt.
std::optional<std::string> form_get(const FormParams& params, std::string_view name);

}  // namespace exosim::client::oauth
