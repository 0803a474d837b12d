#pragma once
// The sign-in service's HTTPS listener in `exosim serve`: the shared HTTP layer
// (control::HttpService) with TLS 1.2-1.3 and the CA's sign-in certificate, answering through
// one handler. make_identity_handler() is the seam where the protocol core
// (identity::IdentityService) plugs in.
#include <memory>
#include <string>

#include "app/config.hpp"
#include "control/http_service.hpp"
#include "transport/certs.hpp"

namespace exosim::app {

// The sign-in service's request handler. Until exosim::identity's service is wired, every path
// is unknown: 404 with a JSON body naming it.
control::HttpHandler make_identity_handler();

// The answer for a path the sign-in service does not serve (also the HTTP layer's error page
// shape: {"error": ..., "error_description": ...}).
identity::HttpResponse identity_not_found(const identity::HttpRequest& request);

// Binds and starts the listener; null when `config.identity.enabled` is false. Throws
// std::runtime_error naming the address when it cannot listen.
std::unique_ptr<control::HttpService> start_identity_listener(const AppConfig& config,
                                                              transport::CertificateAuthority& ca,
                                                              control::HttpHandler handler);

// "listening identity 127.0.0.1:1443 protocol=https tls=1.2-1.3 hosts=login.microsoftonline.com,..."
// (the pytest plugin reads the port as it does for the SMTP listeners).
std::string identity_listening_line(const control::HttpService& service);

}  // namespace exosim::app
