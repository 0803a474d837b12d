#pragma once
// Stateless parser for one command line (CRLF already removed).
#include <string>
#include <string_view>

#include "command.hpp"

namespace exosim::core {

enum class CommandError {
    none,
    unknown_verb,      // 500 5.5.1
    syntax,            // 501 5.5.4 (bad argument / missing argument)
    unexpected_arg,    // 501 5.5.4 (argument to DATA/RSET/QUIT/STARTTLS)
    bad_path,          // 501 5.1.3 / 5.1.7
    path_too_long,     // 501 5.1.3 (RFC 5321 4.5.3.1.3)
    bad_param,         // 555 5.5.4 (RFC 1869 MAIL/RCPT parameter not recognised)
    non_ascii_path,    // 553 5.6.7 (UTF-8 without SMTPUTF8)
    bdat_size,         // 501 5.5.4 (size not a number or overflow)
};

struct CommandParse {
    Command command;
    CommandError error = CommandError::none;
};

// `line` excludes the CRLF. MAIL paths may be UTF-8 only with the SMTPUTF8 parameter (else
// non_ascii_path); RCPT paths are accepted in UTF-8 and the engine checks the transaction's SMTPUTF8.
CommandParse parse_command(std::string_view line);

// Canonical text of a parsed command (no CRLF): parse_command(format_command(c)) parses to the
// same command (FZ-01 round trip). Raw parameters are written as received.
std::string format_command(const Command& c);

}  // namespace exosim::core
