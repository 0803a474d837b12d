#pragma once
// EHLO keyword lines (RFC 5321 4.1.1.1: ehlo-line = ehlo-keyword *( SP ehlo-param )), read the same
// way by the server's capability queries, the verdicts and the reference client. Keywords compare
// as whole tokens, case-insensitively (RFC 5321 2.4): XSTARTTLS is not STARTTLS (CC-29).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace exosim::core {

struct EhloLine {
    std::string keyword;                  // upper-cased
    std::vector<std::string_view> params;  // views into the line
};

// The SP-separated tokens of one line; runs of SP count as one.
std::vector<std::string_view> ehlo_tokens(std::string_view line);
// nullopt for a line with no token.
std::optional<EhloLine> parse_ehlo_line(std::string_view line);
// The mechanisms a keyword line offers, upper-cased: "AUTH LOGIN PLAIN" and, when `legacy_form`,
// old Exchange's "AUTH=LOGIN PLAIN" too. Empty for any other line.
std::vector<std::string> ehlo_auth_mechanisms(std::string_view line, bool legacy_form);

}  // namespace exosim::core
