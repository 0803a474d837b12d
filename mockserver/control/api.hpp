#pragma once
// The control API's request and response as plain values, so routing, JSON handling and every
// route can be tested without sockets. The HTTP server (http_server.cpp) converts Beast messages
// to and from these.
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

namespace exosim::control {

// RFC 9110 methods the API knows; anything else is answered 405 (or 501 by the server).
enum class Method { get, post, put, patch, delete_, head, options, other };
std::string_view method_name(Method m);
Method parse_method(std::string_view name);

struct ApiRequest {
    Method method = Method::get;
    std::string path;                           // decoded path without the query
    std::map<std::string, std::string> query;   // decoded; a repeated key keeps the last value
    std::string content_type;
    std::string body;
    std::map<std::string, std::string> params;  // filled by the router: {id} -> value

    // The value of query parameter `key`, or empty.
    std::string query_value(const std::string& key) const;
    const std::string& param(const std::string& key) const;
};

struct ApiResponse {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Allow, ...)
};

// A request the API refuses: becomes {"error": {"code": code, "message": message}} with `status`.
// Thrown by routes; the router catches it. Codes are stable snake_case words for clients to test.
class ApiError : public std::runtime_error {
public:
    ApiError(int status, std::string code, const std::string& message)
        : std::runtime_error(message), status_(status), code_(std::move(code)) {}
    int status() const { return status_; }
    const std::string& code() const { return code_; }

private:
    int status_;
    std::string code_;
};

ApiResponse json_response(int status, const boost::json::value& body);
ApiResponse error_response(int status, std::string_view code, std::string_view message);
ApiResponse text_response(int status, std::string content_type, std::string body);

// Browsers send Origin on cross-site POST/PATCH/DELETE and WebSocket requests, and a page on any
// web site may aim them at 127.0.0.1:8025 (CSRF, DNS rebinding). API clients (curl, urllib) send
// none. Allowed: no Origin, or an http(s) origin on localhost, 127.0.0.1 or [::1].
bool origin_allowed(std::string_view origin);

// Splits "/a/b?x=1&y=%20" into a decoded path and query. False when the percent-encoding is
// malformed (the server answers 400).
bool split_target(std::string_view target, std::string& path, std::map<std::string, std::string>& query);
// RFC 3986 2.1 percent-decoding ('+' is a space in query components only).
bool percent_decode(std::string_view in, std::string& out, bool plus_is_space);

}  // namespace exosim::control
