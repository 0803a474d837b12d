#pragma once
// The --oauth options of exosim-client (issue 13 "Clients"), kept apart from the SMTP ones.
#include <boost/program_options.hpp>

#include "oauth_io/token_source.hpp"

namespace exosim::client::cli {

void add_oauth_options(boost::program_options::options_description& d);
// Throws UsageError. `ca_file` is --ca: the sign-in service is trusted through the same file.
oauth::OAuthOptions oauth_options(const boost::program_options::variables_map& vm, const Quirks& quirks,
                                  const std::string& ca_file);

}  // namespace exosim::client::cli
