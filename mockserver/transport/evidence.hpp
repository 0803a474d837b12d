#pragma once
// Per-session evidence for a lab (serve --evidence): the TLS key log in NSS key-log format
// (<dir>/<session-id>.keylog, what Wireshark's tls.keylog_file reads) and a summary of the
// client's ClientHello with JA3 and JA4 fingerprints. OpenSSL only, no Asio.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <openssl/ssl.h>

#include "lab/client_hello.hpp"

namespace exosim::transport {

// JA3: MD5 of lab::ja3_text, 32 hex digits.
std::string ja3_fingerprint(const lab::ClientHello& hello);
// JA4 (TCP): "t13d1516h2_8daaf6152771_e5627efa2ab1".
std::string ja4_fingerprint(const lab::ClientHello& hello);

// One-line JSON object: versions offered, ciphers (IANA names where OpenSSL knows them, else
// "0xNNNN"), extensions, sni, alpn, groups, ja3, ja3_text, ja4. `ssl` (may be null) names ciphers.
// Empty when `raw` is not a ClientHello.
std::string client_hello_json(std::string_view raw, SSL* ssl);

// Writes the key log of `ssl` (if any lines) to <dir>/<session_id>.keylog and returns the
// ClientHello summary (with "keylog": path) for the session's events; nullopt when nothing was
// captured. I/O errors are reported in the summary ("keylog_error"), never thrown.
std::optional<std::string> save_evidence(const std::filesystem::path& dir, const std::string& session_id, SSL* ssl);

}  // namespace exosim::transport
