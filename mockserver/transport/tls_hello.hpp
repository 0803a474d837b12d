#pragma once
// Per-connection TLS callbacks of a server context (OpenSSL only, no Asio):
// - the cipher list by version: a context with TlsSettings::legacy_ciphers serves that list to a
//   client whose highest version (capped by the context's maximum) is below TLS 1.2, and
//   `ciphers` otherwise (Exchange offers other suites on TLS 1.0/1.1 than on 1.2, reference §8);
// - evidence (TlsSettings::evidence): the raw ClientHello handshake message and the NSS key-log
//   lines of the connection, kept on the SSL object until the session takes them.
#include <string>

#include <openssl/ssl.h>

#include "transport/listener_config.hpp"

namespace exosim::transport {

struct HandshakeEvidence {
    std::string client_hello;  // the first ClientHello handshake message (type, length, body)
    std::string keylog;        // NSS key-log lines, each ending in '\n'
};

// Installs the callbacks `settings` asks for on `ctx`. `ciphers` and `legacy_ciphers` are the
// final OpenSSL strings (with any @SECLEVEL suffix). Throws std::runtime_error.
void install_hello_callbacks(SSL_CTX* ctx, const TlsSettings& settings, const std::string& ciphers,
                             const std::string& legacy_ciphers);

// What the evidence callbacks captured on `ssl`; null when nothing was (evidence off).
const HandshakeEvidence* handshake_evidence(SSL* ssl);

}  // namespace exosim::transport
