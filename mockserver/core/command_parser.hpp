#pragma once
// Stateless parser for one command line (CRLF already removed).
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

// `line` excludes the CRLF. `utf8_paths` is true when the MAIL carries SMTPUTF8 (checked per command).
CommandParse parse_command(std::string_view line);

}  // namespace exosim::core
