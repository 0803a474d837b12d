#pragma once
// Reads the hidden inputs of a sign-in page, as a form-filling script would.
#include <string>

#include "identity/form.hpp"

namespace exosim::identity::testing {

inline std::string hidden_value(const std::string& html, std::string_view name) {
    const std::string key = "name=\"" + std::string(name) + "\" value=\"";
    const std::size_t a = html.find(key);
    if (a == std::string::npos) return {};
    const std::size_t b = html.find('"', a + key.size());
    return html.substr(a + key.size(), b - a - key.size());
}

// The page's flow fields plus `fields`, url-encoded.
inline std::string page_form(const std::string& html, std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
    std::string out = "flow=" + percent_encode(hidden_value(html, "flow")) + "&canary=" + percent_encode(hidden_value(html, "canary"));
    for (const auto& [k, v] : fields) out += "&" + percent_encode(k) + "=" + percent_encode(v);
    return out;
}

}  // namespace exosim::identity::testing
