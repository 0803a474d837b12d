#pragma once
// `exosim token --user printer@contoso.com --ttl 3600 [--config F] [--data-dir D] [--audience A]`:
// prints one XOAUTH2 bearer token signed with the same secret `exosim serve` uses
// (<data-dir>/tls/token.key, created when missing). Usage errors exit 2, others 1.
#include <string>
#include <vector>

namespace exosim::app {

// `args` excludes the program name and the command word.
int token_command(const std::vector<std::string>& args);

}  // namespace exosim::app
