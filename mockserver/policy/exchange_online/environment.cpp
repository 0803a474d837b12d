#include "policy/exchange_online/environment.hpp"

namespace exosim::policy::exo {

std::shared_ptr<const ExoEnvironment> make_environment(std::shared_ptr<const TokenVerifier> tokens, std::shared_ptr<const Clock> clock,
                                                       std::shared_ptr<const Directory> directory,
                                                       ExoSettings settings, ThrottleLimits limits) {
    auto env = std::make_shared<ExoEnvironment>();
    env->directory = directory ? std::move(directory) : std::make_shared<const Directory>(default_directory());
    env->directory->validate();
    env->clock = clock ? std::move(clock) : std::make_shared<const RealClock>();
    env->submission = SubmissionState::create(limits);
    env->tokens = std::move(tokens);
    env->settings = std::move(settings);
    return env;
}

}  // namespace exosim::policy::exo
