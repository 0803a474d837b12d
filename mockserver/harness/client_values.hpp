#pragma once
// The values of the --client placeholders for one attempt (command_template.hpp lists them), and
// the argument list that makes the reference client do what a scenario asks. Sans-I/O.
#include <map>
#include <string>

#include "harness/run_options.hpp"
#include "scenario/model.hpp"

namespace exosim::harness {

// `attachment`: the path prepared for the scenario ("" when none).
// `identity`: what a client that gets its own token is configured with ({authority}, ...; empty
// values when the scenario has none).
std::map<std::string, std::string> placeholder_values(const scenario::Scenario& scenario, const Endpoint& endpoint,
                                                      const RunnerOptions& options, unsigned attempt,
                                                      const std::string& attachment, const std::string& token,
                                                      const IdentityValues& identity = {});

// The argument list for exosim-client ({exosim_client_args}), already shell-quoted.
// With send.token none: `--oauth <flow> --authority ... --token-cache ...` instead of --token.
std::string reference_client_args(const scenario::Scenario& scenario, const Endpoint& endpoint,
                                  const RunnerOptions& options, const std::string& attachment,
                                  const std::string& token, const IdentityValues& identity = {});

}  // namespace exosim::harness
