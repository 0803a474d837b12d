#include "harness/command_template.hpp"

#include <algorithm>
#include <array>

namespace exosim::harness {

namespace {

constexpr std::array<std::string_view, 33> names{
    "host",     "port",       "security",   "auth",       "from",        "to",
    "to_all",   "user",       "password",   "token",      "ca",          "servername",
    "attachment", "subject",  "body",       "client_cert", "client_key", "source", "scenario",
    "attempt",  "exosim_client", "exosim_client_args",
    // issue 13: a client that gets its own token
    "authority", "identity_address", "tenant_id", "client_id", "client_secret", "app_cert", "app_key", "scope",
    "token_cache", "oauth_flow", "ca_file"};

bool known(std::string_view name) { return std::find(names.begin(), names.end(), name) != names.end(); }

bool safe_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("_@%+=:,./-").find(c) != std::string_view::npos;
}

// Walks the template: `literal` gets text, `placeholder` names. Throws TemplateError.
template <class Literal, class Placeholder>
void walk(std::string_view command, Literal literal, Placeholder placeholder) {
    if (command.find_first_not_of(" \t\r\n") == std::string_view::npos)
        throw TemplateError("the client command is empty");
    for (std::size_t i = 0; i < command.size();) {
        char c = command[i];
        if (c == '{' && i + 1 < command.size() && command[i + 1] == '{') {
            literal('{');
            i += 2;
        } else if (c == '}' && i + 1 < command.size() && command[i + 1] == '}') {
            literal('}');
            i += 2;
        } else if (c == '{') {
            auto close = command.find('}', i + 1);
            if (close == std::string_view::npos)
                throw TemplateError("unterminated '{' at offset " + std::to_string(i) + " (write {{ for a literal brace)");
            std::string_view name = command.substr(i + 1, close - i - 1);
            if (!known(name)) {
                std::string list;
                for (auto n : names) list += (list.empty() ? "" : ", ") + std::string("{") + std::string(n) + "}";
                throw TemplateError("unknown placeholder {" + std::string(name) + "}; known: " + list);
            }
            placeholder(name);
            i = close + 1;
        } else if (c == '}') {
            throw TemplateError("stray '}' at offset " + std::to_string(i) + " (write }} for a literal brace)");
        } else {
            literal(c);
            ++i;
        }
    }
}

}  // namespace

std::span<const std::string_view> placeholder_names() { return names; }

bool is_preformatted(std::string_view name) { return name == "exosim_client_args"; }

std::string shell_quote(std::string_view text) {
    if (text.empty()) return "''";
    if (std::all_of(text.begin(), text.end(), safe_char)) return std::string(text);
    std::string out = "'";
    for (char c : text) {
        if (c == '\'') out += "'\\''";
        else out += c;
    }
    out += '\'';
    return out;
}

std::vector<std::string> check_template(std::string_view command) {
    std::vector<std::string> used;
    walk(command, [](char) {}, [&](std::string_view name) {
        if (std::find(used.begin(), used.end(), name) == used.end()) used.emplace_back(name);
    });
    return used;
}

std::string fill_template(std::string_view command, const std::map<std::string, std::string>& values) {
    std::string out;
    walk(command, [&](char c) { out += c; }, [&](std::string_view name) {
        auto it = values.find(std::string(name));
        std::string_view value = it == values.end() ? std::string_view{} : std::string_view(it->second);
        out += is_preformatted(name) ? std::string(value) : shell_quote(value);
    });
    return out;
}

}  // namespace exosim::harness
