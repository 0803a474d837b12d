#pragma once
// Builds the Exchange Online policy for one session from a listener profile name.
#include <memory>
#include <string_view>

#include "core/session_policy.hpp"
#include "core/session_state.hpp"
#include "policy/exchange_online/environment.hpp"

namespace exosim::policy::exo {

// True for exo-submission, exo-legacy, exo-mx, exo-465.
bool is_exo_profile(std::string_view profile);

// A new policy for one session. exo-465 yields the submission policy (used only when
// settings.implicit_tls is `serve`; otherwise the transport never answers or refuses, see
// ImplicitTlsBehaviour). Throws std::invalid_argument for an unknown profile or an incomplete env.
std::unique_ptr<core::SessionPolicy> make_exo_policy(std::string_view profile,
                                                     std::shared_ptr<const ExoEnvironment> env,
                                                     const core::ConnectionInfo& connection);

}  // namespace exosim::policy::exo
