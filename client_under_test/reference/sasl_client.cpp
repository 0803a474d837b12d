#include "reference/sasl_client.hpp"

#include "reference/base64.hpp"

namespace exosim::client {

std::string_view mechanism_name(AuthMechanism mechanism) {
    switch (mechanism) {
    case AuthMechanism::login: return "LOGIN";
    case AuthMechanism::plain: return "PLAIN";
    case AuthMechanism::xoauth2: return "XOAUTH2";
    case AuthMechanism::none: break;
    }
    return "";
}

SaslClient::SaslClient(AuthMechanism mechanism, std::string user, std::string secret)
    : mechanism_(mechanism), user_(std::move(user)), secret_(std::move(secret)) {}

SaslLine SaslClient::start() const {
    std::string verb = "AUTH " + std::string(mechanism_name(mechanism_));
    switch (mechanism_) {
    case AuthMechanism::plain: {
        // RFC 4616 2: [authzid] NUL authcid NUL passwd.
        std::string message = std::string(1, '\0') + user_ + '\0' + secret_;
        return {verb + " " + base64_encode(message) + "\r\n", verb + " <redacted>"};
    }
    case AuthMechanism::xoauth2: {
        std::string message = "user=" + user_ + "\x01" "auth=Bearer " + secret_ + "\x01\x01";
        return {verb + " " + base64_encode(message) + "\r\n", verb + " <redacted>"};
    }
    default:
        return {verb + "\r\n", verb};
    }
}

std::optional<SaslLine> SaslClient::respond(int round) const {
    if (mechanism_ == AuthMechanism::login && round == 0) {
        std::string user = base64_encode(user_);
        return SaslLine{user + "\r\n", user};
    }
    if (mechanism_ == AuthMechanism::login && round == 1) return SaslLine{base64_encode(secret_) + "\r\n", "<redacted>"};
    // XOAUTH2: a 334 carries a JSON error; an empty line asks for the final 5yz.
    if (mechanism_ == AuthMechanism::xoauth2 && round == 0) return SaslLine{"\r\n", ""};
    return std::nullopt;
}

}  // namespace exosim::client
