#pragma once
// The key language of scenario `tenant:` overrides (scenarios/schema/README.md), over the field
// names of tenant_fields.hpp:
//   "<setting>"                  a setting of the first tenant ("smtp_auth_disabled": "true")
//   "tenant.<domain>.<setting>"  a setting of the tenant named or accepting <domain>
//   "mailbox.<address>.<field>"  a mailbox field
//   "recipients_sent_today.<address>", "messages_this_minute.<address>", "auth_failures.<address>"
//                                state keys: counts put into the throttles, not into the directory
// Bad keys and values throw std::invalid_argument naming the key.
#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "policy/tenant.hpp"

namespace exosim::policy {

// Applies every directory key (state keys are skipped), then validates the result.
void apply_directory_overrides(Directory& directory, const std::map<std::string, std::string>& overrides);

bool is_state_override(std::string_view key);

struct StateOverride {
    std::string kind;     // recipients_sent_today | messages_this_minute | auth_failures
    std::string address;  // a mailbox of the directory
    std::size_t count = 0;  // 0..1000000
};
StateOverride parse_state_override(const Directory& directory, std::string_view key, std::string_view value);

}  // namespace exosim::policy
