#pragma once
// Listener profiles: the name in the configuration -> the policy each session of that listener
// gets. EXTENSION POINT (Exchange Online): add exo-submission, exo-legacy, exo-mx, exo-465 here.
#include <string>
#include <string_view>

#include "app/config.hpp"
#include "transport/server.hpp"

namespace exosim::app {

bool is_known_profile(std::string_view name);
std::string known_profiles();  // "rfc, ..." for messages

// The factory the server calls once per session. Captures what it needs from `config` by value.
transport::PolicyFactory make_policy_factory(const AppConfig& config);

}  // namespace exosim::app
