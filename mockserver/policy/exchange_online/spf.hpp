#pragma once
// SPF (RFC 7208) evaluated against the configured records only (no DNS): ip4, ip6 and all with
// their qualifiers; a, mx, include, exists and redirect never match (documented limitation).
#include <string>
#include <string_view>

#include "policy/tenant.hpp"

namespace exosim::policy::exo {

enum class SpfResult { none, neutral, pass, fail, softfail, permerror };
std::string_view spf_result_name(SpfResult r);  // "pass", "softfail", ...

// RFC 7208 4.6: check_host for `ip` and `domain` (the MAIL FROM domain, or the HELO domain for a
// null reverse-path, RFC 7208 2.4).
SpfResult evaluate_spf(const Directory& directory, std::string_view ip, std::string_view domain);

// Exchange Online's trace headers for the stored copy (format as EOP stamps them, INFER):
//   Authentication-Results: spf=pass (sender IP is 203.0.113.10) smtp.mailfrom=contoso.com; ...
//   Received-SPF: Pass (protection.outlook.com: domain of contoso.com designates 203.0.113.10 as
//    permitted sender) receiver=protection.outlook.com; client-ip=203.0.113.10; helo=printer;
std::string spf_trace_headers(SpfResult result, std::string_view ip, std::string_view domain,
                              std::string_view helo, std::string_view header_from_domain);

}  // namespace exosim::policy::exo
