#include "policy/exchange_online/spf.hpp"

#include <vector>

namespace exosim::policy::exo {

std::string_view spf_result_name(SpfResult r) {
    switch (r) {
        case SpfResult::none: return "none";
        case SpfResult::neutral: return "neutral";
        case SpfResult::pass: return "pass";
        case SpfResult::fail: return "fail";
        case SpfResult::softfail: return "softfail";
        case SpfResult::permerror: return "permerror";
    }
    return "none";
}

namespace {

std::vector<std::string_view> terms(std::string_view record) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < record.size()) {
        while (i < record.size() && record[i] == ' ') ++i;
        std::size_t j = record.find(' ', i);
        if (j == std::string_view::npos) j = record.size();
        if (j > i) out.push_back(record.substr(i, j - i));
        i = j;
    }
    return out;
}

SpfResult qualifier_result(char q) {
    switch (q) {
        case '-': return SpfResult::fail;
        case '~': return SpfResult::softfail;
        case '?': return SpfResult::neutral;
        default: return SpfResult::pass;
    }
}

}  // namespace

SpfResult evaluate_spf(const Directory& directory, std::string_view ip, std::string_view domain) {
    const std::string* record = domain.empty() ? nullptr : directory.spf_record(domain);
    if (record == nullptr) return SpfResult::none;
    const auto t = terms(*record);
    if (t.empty() || lower(t.front()) != "v=spf1") return SpfResult::none;  // RFC 7208 4.5
    for (std::size_t i = 1; i < t.size(); ++i) {
        std::string_view term = t[i];
        char q = '+';
        if (term.front() == '+' || term.front() == '-' || term.front() == '~' || term.front() == '?') {
            q = term.front();
            term.remove_prefix(1);
        }
        const std::string l = lower(term);
        if (l == "all") return qualifier_result(q);
        if (l.rfind("ip4:", 0) == 0 || l.rfind("ip6:", 0) == 0) {
            const auto range = IpRange::parse(term.substr(4));
            if (!range) return SpfResult::permerror;  // RFC 7208 4.6.4 syntax error
            if (range->contains(ip)) return qualifier_result(q);
        }
        // a, mx, include, exists, ptr, modifiers: no DNS here, never a match.
    }
    return SpfResult::neutral;  // RFC 7208 4.7: no match, no "all"
}

std::string spf_trace_headers(SpfResult result, std::string_view ip, std::string_view domain,
                              std::string_view helo, std::string_view header_from_domain) {
    const std::string ip_s(ip);
    const std::string dom = domain.empty() ? std::string("none") : std::string(domain);
    const std::string from = header_from_domain.empty() ? std::string("none") : std::string(header_from_domain);
    std::string ar = "Authentication-Results: spf=" + std::string(spf_result_name(result)) + " (sender IP is " + ip_s +
                     ")\r\n smtp.mailfrom=" + dom + "; dkim=none (message not signed)\r\n header.d=none;dmarc=none"
                     " action=none header.from=" + from + ";\r\n";
    std::string why;
    switch (result) {
        case SpfResult::pass: why = "domain of " + dom + " designates " + ip_s + " as permitted sender"; break;
        case SpfResult::fail: why = "domain of " + dom + " does not designate " + ip_s + " as permitted sender"; break;
        case SpfResult::softfail:
            why = "domain of transitioning " + dom + " discourages use of " + ip_s + " as permitted sender";
            break;
        case SpfResult::neutral: why = ip_s + " is neither permitted nor denied by domain of " + dom; break;
        case SpfResult::permerror: why = "domain of " + dom + " has a malformed SPF record"; break;
        case SpfResult::none: why = "domain of " + dom + " does not designate permitted sender hosts"; break;
    }
    std::string name(spf_result_name(result));
    name[0] = static_cast<char>(name[0] - 32);
    std::string rs = "Received-SPF: " + name + " (protection.outlook.com: " + why +
                     ")\r\n receiver=protection.outlook.com; client-ip=" + ip_s + "; helo=" + std::string(helo) + ";\r\n";
    return ar + rs;
}

}  // namespace exosim::policy::exo
