#pragma once
// A parsed SMTP command (RFC 5321 4.1.1 plus extensions).
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "address.hpp"

namespace exosim::core {

enum class Verb { ehlo, helo, mail, rcpt, data, bdat, rset, noop, quit, vrfy, expn, help, starttls, auth, unknown };

std::string_view verb_name(Verb v);
// The verb a command word names, case-insensitively; Verb::unknown for any other word.
Verb verb_from_name(std::string_view word);

// RFC 1652/6152/3030 BODY values.
enum class Body { unspecified, seven_bit, eight_bit_mime, binary_mime };

struct EsmtpParam {
    std::string keyword;  // upper-cased
    std::string value;    // raw, may be empty
    friend bool operator==(const EsmtpParam&, const EsmtpParam&) = default;
};

// MAIL FROM parameters understood by the engine; all params are also kept raw.
struct MailParams {
    std::optional<std::uint64_t> size;  // RFC 1870
    Body body = Body::unspecified;      // RFC 6152 / 3030
    bool smtputf8 = false;              // RFC 6531
    std::optional<std::string> ret;     // RFC 3461 RET=FULL|HDRS
    std::optional<std::string> envid;   // RFC 3461 ENVID (xtext, kept encoded)
    std::optional<std::string> auth;    // RFC 4954 AUTH=
    friend bool operator==(const MailParams&, const MailParams&) = default;
};

// RCPT TO parameters (RFC 3461).
struct RcptParams {
    std::optional<std::string> notify;  // SUCCESS,FAILURE,DELAY | NEVER
    std::optional<std::string> orcpt;   // addr-type;xtext
    friend bool operator==(const RcptParams&, const RcptParams&) = default;
};

struct Command {
    Verb verb = Verb::unknown;
    std::string raw;       // the line without CRLF, as received
    std::string argument;  // text after the verb (EHLO domain, AUTH args, VRFY arg, ...)
    Path path;             // MAIL/RCPT
    std::vector<EsmtpParam> params;
    MailParams mail;
    RcptParams rcpt;
    std::uint64_t bdat_size = 0;  // BDAT
    bool bdat_last = false;
};

}  // namespace exosim::core
