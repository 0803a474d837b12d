#pragma once
// Server TLS contexts for a scenario's `server.tls`: another version range, cipher list or
// certificate variant (self-signed, unknown CA, wrong host, expired, not yet valid, missing
// intermediate) than the listener serves. Certificates come from the local CA
// (transport/certs.*); contexts are cached per listener and script, so a suite that serves the
// same variant fifty times builds it once. Thread-safe.
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/session_state.hpp"
#include "scenario/model.hpp"
#include "transport/listener_config.hpp"

namespace boost::asio::ssl {
class context;
}

namespace exosim::transport {
class CertificateAuthority;
}

namespace exosim::harness {

// "1.0".."1.3" (also "TLSv1.2", "tls1.2") -> the version; nullopt for anything else.
std::optional<core::TlsVersion> parse_tls_version(std::string_view text);

// True when `script` asks for nothing beyond what the listener serves.
bool is_default_tls(const scenario::TlsScript& script);

// The listener's TLS settings with the script's range and ciphers applied. Throws
// std::invalid_argument for an unknown version or an empty range.
transport::TlsSettings scripted_settings(const transport::TlsSettings& listener, const scenario::TlsScript& script);

class TlsVariants {
public:
    // `ca` may be null: then only `valid` with the listener's own files can be served.
    explicit TlsVariants(transport::CertificateAuthority* ca) : ca_(ca) {}

    // Null when the script needs nothing special (the listener's context serves). Throws
    // std::runtime_error / std::invalid_argument when the context cannot be made.
    std::shared_ptr<boost::asio::ssl::context> context_for(const transport::ListenerConfig& listener,
                                                           const scenario::TlsScript& script);

private:
    transport::CertificateAuthority* ca_;
    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<boost::asio::ssl::context>> cache_;
};

}  // namespace exosim::harness
