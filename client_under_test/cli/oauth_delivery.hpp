#pragma once
// exosim-client --oauth: get a token (cache, refresh or sign-in), deliver with XOAUTH2, and after a
// 535 5.7.3 on that token get a new one and retry once, never more (issue 13 "Refresh").
#include <boost/json.hpp>
#include <functional>

#include "cli/cli_options.hpp"

namespace exosim::client::cli {

// The exit codes are part of the interface (README): scripts and the harness branch on them.
enum Exit {
    delivered = 0, rejected = 1, deferred = 2, tls_error = 3, usage = 4, refused = 5,
    sign_in_again = 6,  // invalid_grant on the refresh token: a person must sign the device in again
    no_token = 7,       // the sign-in did not give a token (declined, expired, endpoint down, refused)
};

using ReportJson = std::function<boost::json::object(const DeliveryReport&)>;
using ExitCode = int (*)(Result);

int deliver_with_oauth(const Request& request, ClientConfig config, const ReportJson& report_json, ExitCode exit_code);

}  // namespace exosim::client::cli
