#pragma once
// The sign-in service's view of one HTTP exchange: plain data, no Beast, so the protocol logic in
// exosim::identity is a function from request to response that unit tests and fuzzers call
// directly. The transport (a Beast server with TLS) converts to and from these at its edge.
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace exosim::identity {

struct HttpRequest {
    std::string method;  // as sent: "GET", "POST", ...
    std::string target;  // origin-form as sent: path plus "?query"
    std::vector<std::pair<std::string, std::string>> headers;  // in wire order, names as sent
    std::string body;
    std::string peer;    // client address, for the request log

    // The first header named `name` (ASCII case-insensitive), or empty.
    std::string_view header(std::string_view name) const;
    // How many headers are named `name` (a repeated Host or Content-Type is an error).
    std::size_t header_count(std::string_view name) const;
};

struct HttpResponse {
    unsigned status = 200;
    std::vector<std::pair<std::string, std::string>> headers;  // Content-Type included by the producer
    std::string body;

    // Faults the transport executes (scenario "token endpoint slow / closes the connection"):
    std::chrono::milliseconds delay{0};  // wait this long before answering
    bool close_without_response = false; // drop the connection, send nothing
};

}  // namespace exosim::identity
