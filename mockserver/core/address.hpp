#pragma once
// RFC 5321 4.1.2 Path / Mailbox parsing with the 4.5.3.1 length limits.
#include <optional>
#include <string>
#include <string_view>

namespace exosim::core {

struct Mailbox {
    std::string local_part;  // as written (quoted form kept verbatim)
    std::string domain;      // domain or address literal "[...]"
    std::string str() const { return local_part + "@" + domain; }
    friend bool operator==(const Mailbox&, const Mailbox&) = default;
};

// A reverse-path or forward-path. `null` is "<>" (only valid as reverse-path).
struct Path {
    bool null = false;
    Mailbox mailbox;
    std::string str() const { return null ? std::string{} : mailbox.str(); }
    friend bool operator==(const Path&, const Path&) = default;
};

enum class PathError { none, syntax, too_long, local_part_too_long, domain_too_long, non_ascii };

struct PathParse {
    std::optional<Path> path;
    PathError error = PathError::none;
    std::size_t consumed = 0;  // octets of the input used by "<...>"
};

// Parses "<...>" at the start of `in`. `allow_utf8` enables RFC 6531 UTF-8 in local part and domain.
PathParse parse_path(std::string_view in, bool allow_utf8);
// Domain per RFC 5321 4.1.2 (sub-domains or address literal); used for EHLO/HELO arguments.
bool is_valid_domain(std::string_view d);
bool is_valid_address_literal(std::string_view d);

}  // namespace exosim::core
