#pragma once
// The tenant directory as the control API shows and patches it (GET/PATCH /api/v1/tenants):
// field names and value spellings are tenant_fields.hpp's; passwords are never shown.
#include <string>

#include <boost/json/value.hpp>

#include "policy/tenant.hpp"

namespace exosim::app {

// {"tenants": [...], "blocked_ips": [...], "spf_records": {...}}.
boost::json::value directory_json(const policy::Directory& directory);

// Applies {"settings": {...}, "mailboxes": {"<address>": {...}}} to the tenant named or accepting
// `domain`. Unknown keys and bad values throw std::invalid_argument naming them; `directory` may
// then be partly changed (callers patch a copy).
void apply_tenant_patch(policy::Directory& directory, const std::string& domain, const boost::json::value& patch);

}  // namespace exosim::app
