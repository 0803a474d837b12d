#pragma once
// Internal: the sign-in pages as small templates (plain HTML forms, no JavaScript; every value
// echoed is escaped here). Texts follow Microsoft's (issue 14 "Pages").
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace exosim::identity::pages {

using Fields = std::vector<std::pair<std::string, std::string>>;  // hidden inputs

// A page with one form posting to `action`; `body` is trusted markup built by the functions below.
std::string form_page(std::string_view title, std::string_view action, const Fields& hidden, std::string_view body);
std::string text_input(std::string_view label, std::string_view name, std::string_view value, bool password);
std::string paragraph(std::string_view text);  // escapes
std::string error_text(std::string_view text); // escapes
std::string submit(std::string_view name, std::string_view value, std::string_view label);
std::string message_page(std::string_view title, std::string_view text);
// response_mode=form_post without JavaScript: the form is shown with a visible Continue button.
std::string form_post_page(std::string_view redirect_uri, const Fields& fields);

}  // namespace exosim::identity::pages
