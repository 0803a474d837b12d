#pragma once
// `exosim certify --client 'CMD'`: the command template and its placeholders, filled per scenario
// and attempt. Values are shell-quoted (single quotes, only when needed), so write placeholders
// bare, not inside quotes: `--from {from}`. `{{` and `}}` are literal braces. Sans-I/O.
//
//   {host} {port} {security} {auth} {from} {to} (first recipient) {to_all} (comma list) {user}
//   {password} {token} {ca} {servername} {attachment} {subject} {body} {client_cert}
//   {client_key} {source} {scenario} {attempt} {exosim_client}
//   {exosim_client_args}  the whole argument list for the reference client (exosim-client),
//                         already quoted: `--client '{exosim_client} {exosim_client_args}'`
#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace exosim::harness {

class TemplateError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// Every placeholder name, in the order of the help text.
std::span<const std::string_view> placeholder_names();

// The placeholders `command` uses. Throws TemplateError naming an unknown placeholder, an
// unterminated `{`, a stray `}`, or an empty template.
std::vector<std::string> check_template(std::string_view command);

// Values that are already shell text (inserted as they are, not quoted): exosim_client_args.
bool is_preformatted(std::string_view name);

// `command` with each placeholder replaced by its value, shell-quoted (preformatted ones as they
// are). A placeholder without a value becomes ''. Throws TemplateError as check_template.
std::string fill_template(std::string_view command, const std::map<std::string, std::string>& values);

// POSIX sh quoting: the text unchanged when it is made only of safe characters
// ([A-Za-z0-9_@%+=:,./-]), otherwise in single quotes ('\'' for a quote); '' for empty.
std::string shell_quote(std::string_view text);

}  // namespace exosim::harness
