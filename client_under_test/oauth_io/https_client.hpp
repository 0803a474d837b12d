#pragma once
// One HTTPS POST to the sign-in service (Beast + Asio SSL). The TCP connection may go to another
// address than the name (--identity-address): SNI, Host and the certificate check keep the name,
// as a lab DNS would make it, so the device's view of the world is unchanged.
#include <chrono>
#include <string>

#include "oauth/token_response.hpp"

namespace exosim::client::oauth {

struct HttpsTarget {
    std::string host;          // name: SNI, Host header, certificate verification
    std::string port = "443";
    std::string connect_host;  // where TCP goes; empty: resolve `host`
    std::string connect_port;  // empty: `port`
    std::string ca_file;       // empty: the system trust store
    std::chrono::seconds timeout{30};  // the whole exchange
};

// Never throws for network trouble: status 0 with transport_error set. Throws std::runtime_error
// for an unusable CA file (a configuration error).
HttpAnswer https_post_form(const HttpsTarget& target, const std::string& path, const std::string& body);

}  // namespace exosim::client::oauth
