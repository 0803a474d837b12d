#pragma once
// OpenSSL contexts built from a listener's TlsSettings, and what a handshake negotiated.
//
// Each context carries its own protocol range and security level: a legacy listener that allows
// TLS 1.0 lowers the security level for that context only (Debian's system default is TLS 1.2 at
// security level 2), so one process can serve TLS 1.0 next to a TLS 1.2-only listener.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/ssl/context.hpp>

#include "core/session_state.hpp"
#include "transport/certs.hpp"
#include "transport/listener_config.hpp"

namespace exosim::transport {

// Server context: protocol range, ciphers, chain + key, no compression, no renegotiation.
// With settings.request_client_cert the server asks for a certificate (SSL_VERIFY_PEER without
// FAIL_IF_NO_PEER_CERT), trusting `ca_file`; an unverifiable certificate does not fail the
// handshake, describe_tls() reports it as presented but not verified.
// Throws std::invalid_argument / std::runtime_error for unusable settings or files (configuration
// errors, before serving).
std::shared_ptr<boost::asio::ssl::context> make_server_context(const TlsSettings& settings, const CertFiles& cert,
                                                               const std::filesystem::path& ca_file);

struct ClientTlsOptions {
    core::TlsVersion min = core::TlsVersion::tls1_2;
    core::TlsVersion max = core::TlsVersion::tls1_3;
    std::string ciphers;       // TLS <= 1.2 cipher list; empty: OpenSSL default
    std::string ciphersuites;  // TLS 1.3; empty: OpenSSL default
    // Trust anchors for the server certificate; empty: the server certificate is not verified.
    std::filesystem::path ca_file;
    // Host name checked against the server certificate (and sent as SNI) when ca_file is set.
    std::string verify_host;
    std::optional<CertFiles> client_cert;
};

// Client context for the reference client and tests. SNI is per connection: call
// SSL_set_tlsext_host_name on the stream's native handle (and SSL_set1_host via
// apply_client_host below) before the handshake.
std::shared_ptr<boost::asio::ssl::context> make_client_context(const ClientTlsOptions& options);
// Sets SNI and, when `verify` is true, the expected host name on one client connection.
void apply_client_host(SSL* ssl, const std::string& host, bool verify);

// Negotiated version and cipher, and the peer certificate's CN and DNS SANs. On a server,
// client_cert_verified is true only when a certificate was presented and verified against the
// context's CA (SSL_get_verify_result == X509_V_OK); client_cert_names is filled whenever a
// certificate was presented, so "names but not verified" means presented but unverifiable.
core::TlsInfo describe_tls(SSL* ssl);
// Why the presented peer certificate did not verify (the first error seen during the handshake),
// e.g. "unable to get local issuer certificate"; empty when it verified or none was presented.
std::string peer_verify_error(SSL* ssl);

// Scripted fault (a TLS alert mid-DATA): on an established TLS 1.3 server session, schedules a
// NewSessionTicket whose generation fails, so that the next handshake step (async_handshake)
// sends a fatal internal_error alert. False (nothing scheduled) on other versions. Server
// contexts from make_server_context() carry the ticket callback this relies on.
bool schedule_internal_error_alert(SSL* ssl);

// OpenSSL's version constant for `v` (TLS1_VERSION ...); throws std::invalid_argument for none.
int openssl_version(core::TlsVersion v);

}  // namespace exosim::transport
