#pragma once
// What one delivery asks of the client codec, and what it reports back.
#include <cstddef>
#include <string>
#include <vector>

#include "core/reply.hpp"
#include "reference/quirks.hpp"

namespace exosim::client {

enum class Security { starttls, implicit, none };
enum class AuthMechanism { none, login, plain, xoauth2 };

struct ClientConfig {
    Security security = Security::starttls;
    // A hard guard on top of security: never AUTH or MAIL before TLS is up, whatever else says so.
    bool require_tls = false;
    AuthMechanism auth = AuthMechanism::none;
    std::string user;
    std::string password;
    std::string token;  // XOAUTH2 bearer token
    std::string helo = "localhost";
    std::string from;                     // envelope sender (reverse-path)
    std::vector<std::string> recipients;  // envelope: To, Cc and Bcc together
    std::string message;                  // the RFC 5322 message; encode_data() frames it
    // RFC 5321 4.5.3.1.8: a server need accept only 100 recipients per transaction.
    std::size_t max_recipients_per_transaction = 100;
    Quirks quirks;
};

// How a delivery ended; the CLI turns it into an exit code and a JSON result.
enum class Result { delivered, rejected, deferred, tls_error, refused };

struct Outcome {
    Result result = Result::deferred;
    core::Reply reply;        // the reply that decided the result (code 0 when none, e.g. a timeout)
    std::string detail;       // local reason when no reply decided it ("SIZE exceeded", "protocol error")
    std::string auth_used;    // e.g. "LOGIN"
    std::vector<std::string> accepted;  // delivered
    std::vector<std::string> rejected;  // refused permanently (5yz)
    std::vector<std::string> deferred;  // refused temporarily (4yz) or not tried: retry these
};

}  // namespace exosim::client
