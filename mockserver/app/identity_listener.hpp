#pragma once
// The sign-in service's HTTPS listener in `exosim serve`: the shared HTTP layer
// (control::HttpService) with TLS 1.2-1.3 and the CA's sign-in certificate, answering through
// one handler: the protocol core's (app/identity_runtime).
#include <filesystem>
#include <memory>
#include <string>

#include "app/config.hpp"
#include "app/exchange_runtime.hpp"
#include "app/identity_log.hpp"
#include "control/http_service.hpp"
#include "policy/clock.hpp"
#include "transport/certs.hpp"
#include "transport/identity_crypto.hpp"

namespace exosim::app {

// What the sign-in service is built from, with its I/O done here: signing keys persisted under
// <data-dir>/tls/identity-signing/, refresh tokens journaled in <data-dir>/identity/, and the
// Exchange clock (virtual in tests).
struct IdentityParts {
    std::shared_ptr<transport::IdentityCrypto> crypto;
    std::shared_ptr<JournalLog> log;
    std::shared_ptr<const policy::Clock> clock;
    // The embedded default's confidential app "Contoso Scan Daemon": its client certificate
    // (<data-dir>/tls/apps/<client id>.crt.pem/.key.pem), which the directory registers.
    transport::CertFiles scan_daemon_cert;
};
// The embedded default's certificate-credential app (issue 14, "Directory").
inline constexpr const char* scan_daemon_client_id = "6a8c0e2f-4d1b-4f3a-9c5e-7b9d1f3a5c44";
inline constexpr const char* scan_daemon_name = "Contoso Scan Daemon";
// Throws std::runtime_error when the key files or the journal cannot be read or created.
IdentityParts make_identity_parts(const std::filesystem::path& data_dir, const ExchangeRuntime& exchange,
                                  transport::CertificateAuthority& ca);

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
