#pragma once
// Server side of the SASL mechanisms exosim offers over SMTP AUTH (RFC 4954): PLAIN (RFC 4616),
// LOGIN (draft-murchison-sasl-login) and XOAUTH2 (Google/Microsoft). Pure codec: no policy.
#include <optional>
#include <string>
#include <string_view>

#include "core/session_policy.hpp"

namespace exosim::core {

// PLAIN message = [authzid] NUL authcid NUL passwd, split by length (never strlen). A message
// without two NULs yields empty fields, which the policy rejects as bad credentials.
Credentials parse_plain(std::string_view decoded);
// XOAUTH2: "user=" user ^A "auth=Bearer " token ^A ^A. Missing parts yield empty fields.
Credentials parse_xoauth2(std::string_view decoded);
std::string format_plain(std::string_view authzid, std::string_view user, std::string_view password);
std::string format_xoauth2(std::string_view user, std::string_view token);

// One SASL exchange. The engine feeds it the initial response (if any) and each client line.
class SaslExchange {
public:
    enum class Status { challenge, done, cancelled, bad_base64 };
    struct Step {
        Status status = Status::challenge;
        std::string challenge;     // base64 text after "334 " when status == challenge
        Credentials credentials;   // when status == done
    };

    // nullopt when the engine implements no such mechanism (case-insensitive name).
    static std::optional<SaslExchange> create(std::string_view mechanism);
    const std::string& mechanism() const { return mechanism_; }
    // `initial` is the text after the mechanism ("=" means an empty response, RFC 4954 4).
    Step begin(std::optional<std::string_view> initial);
    // A client line (CRLF removed): base64, or "*" to cancel.
    Step respond(std::string_view line);

private:
    explicit SaslExchange(std::string mechanism) : mechanism_(std::move(mechanism)) {}
    Step absorb(const std::string& decoded);

    std::string mechanism_;
    int step_ = 0;
    std::string login_user_;
};

}  // namespace exosim::core
