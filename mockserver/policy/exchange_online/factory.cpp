#include "policy/exchange_online/factory.hpp"

#include <stdexcept>
#include <string>

#include "policy/exchange_online/client_submission.hpp"
#include "policy/exchange_online/mx_policy.hpp"

namespace exosim::policy::exo {

bool is_exo_profile(std::string_view p) {
    return p == "exo-submission" || p == "exo-legacy" || p == "exo-mx" || p == "exo-465";
}

std::unique_ptr<core::SessionPolicy> make_exo_policy(std::string_view profile, std::shared_ptr<const ExoEnvironment> env,
                                                     const core::ConnectionInfo&) {
    if (!env || !env->directory || !env->clock || !env->submission) {
        throw std::invalid_argument("Exchange Online environment needs a directory, a clock and submission state");
    }
    if (profile == "exo-submission" || profile == "exo-465") {
        return std::make_unique<ClientSubmissionPolicy>(std::move(env), SubmissionEndpoint::standard);
    }
    if (profile == "exo-legacy") {
        return std::make_unique<ClientSubmissionPolicy>(std::move(env), SubmissionEndpoint::legacy);
    }
    if (profile == "exo-mx") return std::make_unique<MxPolicy>(std::move(env));
    throw std::invalid_argument("unknown Exchange Online profile: " + std::string(profile));
}

}  // namespace exosim::policy::exo
