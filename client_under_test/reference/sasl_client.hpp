#pragma once
// Client side of SASL for SMTP AUTH (RFC 4954): LOGIN, PLAIN (RFC 4616), XOAUTH2 (Microsoft/Google).
// Produces the lines to send; the codec decides when. Secrets never appear in the log form.
#include <optional>
#include <string>
#include <string_view>

#include "reference/client_config.hpp"

namespace exosim::client {

struct SaslLine {
    std::string wire;  // with CRLF
    std::string log;   // for a transcript, secrets replaced by <redacted>
};

std::string_view mechanism_name(AuthMechanism mechanism);

class SaslClient {
public:
    SaslClient(AuthMechanism mechanism, std::string user, std::string secret);
    // The AUTH command, with an initial response where the mechanism has one (RFC 4954 4).
    SaslLine start() const;
    // The answer to the n-th 334 challenge; nullopt when the mechanism has nothing more to say,
    // in which case the caller cancels with "*" (RFC 4954 4) so an endless 334 loop ends (CC-28).
    std::optional<SaslLine> respond(int round) const;

private:
    AuthMechanism mechanism_;
    std::string user_;
    std::string secret_;
};

}  // namespace exosim::client
