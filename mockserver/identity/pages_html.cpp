#include "identity/pages_html.hpp"

#include "identity/responses.hpp"

namespace exosim::identity::pages {

namespace {
std::string head(std::string_view title) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + html_escape(title) +
           "</title></head>\n<body>\n<h1>" + html_escape(title) + "</h1>\n";
}
}  // namespace

std::string form_page(std::string_view title, std::string_view action, const Fields& hidden, std::string_view body) {
    std::string out = head(title) + "<form method=\"post\" action=\"" + html_escape(action) + "\">\n";
    for (const auto& [n, v] : hidden) {
        out += "<input type=\"hidden\" name=\"" + html_escape(n) + "\" value=\"" + html_escape(v) + "\">\n";
    }
    out += body;
    out += "</form>\n</body></html>\n";
    return out;
}

std::string text_input(std::string_view label, std::string_view name, std::string_view value, bool password) {
    return "<p><label>" + html_escape(label) + " <input type=\"" + (password ? "password" : "text") + "\" name=\"" +
           html_escape(name) + "\" value=\"" + html_escape(value) + "\"></label></p>\n";
}

std::string paragraph(std::string_view text) { return "<p>" + html_escape(text) + "</p>\n"; }
std::string error_text(std::string_view text) { return "<p class=\"error\" role=\"alert\">" + html_escape(text) + "</p>\n"; }

std::string submit(std::string_view name, std::string_view value, std::string_view label) {
    return "<button type=\"submit\" name=\"" + html_escape(name) + "\" value=\"" + html_escape(value) + "\">" +
           html_escape(label) + "</button>\n";
}

std::string message_page(std::string_view title, std::string_view text) {
    return head(title) + paragraph(text) + "</body></html>\n";
}

std::string form_post_page(std::string_view redirect_uri, const Fields& fields) {
    return form_page("Continue to the application", redirect_uri, fields,
                     paragraph("Script is disabled. Click Continue to return to the application.") +
                         submit("", "", "Continue"));
}

}  // namespace exosim::identity::pages
