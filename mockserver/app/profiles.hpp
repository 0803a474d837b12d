#pragma once
// Listener profiles: the name in the configuration -> the policy each session of that listener
// gets. `rfc` is the RFC baseline; exo-submission, exo-legacy, exo-mx and exo-465 play Exchange
// Online's endpoints over the process's ExchangeRuntime (issue 3).
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app/config.hpp"
#include "transport/server.hpp"

namespace exosim::app {

class ExchangeRuntime;

bool is_known_profile(std::string_view name);
std::string known_profiles();  // "rfc, ..." for messages

// The listeners as the transport runs them: an exo-465 listener follows exchange.implicit_tls
// (silent: blackhole, refuse: refuse, serve: implicit TLS + submission) unless its behaviour is
// set to something other than smtp; an exo-mx listener always requests a client certificate
// (connector match by certificate).
std::vector<transport::ListenerConfig> effective_listeners(const AppConfig& config);

// The factory the server calls once per session. Captures what it needs from `config` by value;
// exo-* sessions take the runtime's environment at connect time, so patches and scenario
// overrides apply to new sessions. `runtime` may be null when no listener uses an exo profile.
transport::PolicyFactory make_policy_factory(const AppConfig& config,
                                             std::shared_ptr<const ExchangeRuntime> runtime = nullptr);

}  // namespace exosim::app
