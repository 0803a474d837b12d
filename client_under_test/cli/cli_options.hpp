#pragma once
// The exosim-client command line (Boost.program_options) turned into a delivery request.
#include <stdexcept>
#include <optional>
#include <string>
#include <vector>

#include "oauth_io/token_source.hpp"
#include "reference/client_session.hpp"
#include "reference/mime.hpp"

namespace exosim::client::cli {

// A command line that cannot run: exit code 4.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Request {
    SessionOptions session;
    ClientConfig config;       // message and recipients filled in by the caller
    MailContent mail;          // headers and body; attachments read from attach_paths
    std::vector<std::string> attach_paths;
    std::string body_file;     // read by the caller when set
    std::vector<std::string> bcc;
    std::optional<oauth::OAuthOptions> oauth;  // --oauth: the token comes from the sign-in service
    bool help = false;
    std::string help_text;
};

// Throws UsageError with a readable message.
Request parse_command_line(int argc, const char* const argv[]);

}  // namespace exosim::client::cli
