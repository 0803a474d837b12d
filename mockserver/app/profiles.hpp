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

// Profiles that play an Exchange endpoint get Exchange's TLS unless the listener sets its own:
// TLS 1.2 at most (1.3 with `max: "1.3"`), Microsoft's published TLS 1.2 suites in order with
// server preference, and the TLS 1.0/1.1 suites of reference §8 (transport/exchange_tls.hpp).
bool exchange_tls_default(std::string_view profile);

// The listeners as the transport runs them: an exo-465 listener follows exchange.implicit_tls
// (silent: blackhole, refuse: refuse, serve: implicit TLS + submission) unless its behaviour is
// set to something other than smtp; an exo-mx listener always requests a client certificate
// (connector match by certificate); exo-* listeners without `ciphers` get Exchange's suites.
std::vector<transport::ListenerConfig> effective_listeners(const AppConfig& config);

// The factory the server calls once per session. Captures what it needs from `config` by value;
// exo-* sessions take the runtime's environment at connect time, so patches and scenario
// overrides apply to new sessions. `runtime` may be null when no listener uses an exo profile.
transport::PolicyFactory make_policy_factory(const AppConfig& config,
                                             std::shared_ptr<const ExchangeRuntime> runtime = nullptr);

}  // namespace exosim::app
