#pragma once
// What the policy may read about a session. Filled by the engine and, for the connection facts, by the transport.
#include <optional>
#include <string>
#include <vector>

#include "envelope.hpp"

namespace exosim::core {

enum class TlsVersion { none, tls1_0, tls1_1, tls1_2, tls1_3 };
std::string_view tls_version_name(TlsVersion v);  // "TLSv1.2", "none"

struct TlsInfo {
    TlsVersion version = TlsVersion::none;
    std::string cipher;
    // Names from a verified client certificate (CN and DNS SANs); empty when none was presented.
    std::vector<std::string> client_cert_names;
    bool client_cert_verified = false;
};

struct ConnectionInfo {
    std::string session_id;      // 16 hex digits, as Exchange Online prints it
    std::string listener;        // listener name
    std::string local_address;
    std::string client_address;  // the real peer address
    std::string seen_address;    // the address policy treats as the client's (loopback stand-in map)
    bool implicit_tls = false;
};

struct SessionState {
    ConnectionInfo connection;
    TlsInfo tls;                          // version none while plaintext
    std::optional<std::string> helo;     // EHLO/HELO argument; reset by STARTTLS
    bool esmtp = false;                  // EHLO (not HELO) was used
    std::optional<std::string> auth_identity;  // authenticated user
    std::optional<std::string> auth_mechanism;
    std::optional<std::string> last_auth_failure;  // one-line text of the last 535 (Exchange embeds it in 530)
    unsigned auth_failures = 0;
    Envelope envelope;                    // current transaction
    unsigned messages_accepted = 0;
    bool tls_active() const { return tls.version != TlsVersion::none; }
};

}  // namespace exosim::core
