#pragma once
// Just enough RFC 5322 header reading for policy decisions: the From address (send-as), the
// Message-ID (echoed in the 250), and prepending trace headers to the stored copy.
#include <optional>
#include <string>
#include <string_view>

namespace exosim::policy::exo {

// Unfolded value of the first header field `name` (case-insensitive) in the header section.
std::optional<std::string> header_value(std::string_view content, std::string_view name);
// addr-spec of the first mailbox in From: ("Name <a@b>", "a@b", "a@b (comment)"); nullopt when absent.
std::optional<std::string> from_address(std::string_view content);
// "<id@host>" of the Message-ID field, angle brackets included; nullopt when absent or not "<...>".
std::optional<std::string> message_id(std::string_view content);
// `headers` (each ending in CRLF) placed before the first line of `content`.
std::string prepend_headers(std::string_view content, std::string_view headers);

}  // namespace exosim::policy::exo
