#pragma once
// Text hygiene shared by the report writers: client output and wire bytes are arbitrary octets,
// reports are UTF-8 XML/HTML/JSON that must parse and must not execute anything.
#include <string>
#include <string_view>

#include "scenario/results.hpp"

namespace exosim::scenario {

// Invalid UTF-8 sequences (including overlongs and surrogates) become U+FFFD.
std::string valid_utf8(std::string_view s);
// For XML 1.0 text and attributes: &<>"' escaped, characters XML forbids (C0 controls except
// TAB/LF/CR) replaced by U+FFFD, invalid UTF-8 repaired.
std::string xml_escape(std::string_view s);
// Same escaping for HTML text and attribute values.
std::string html_escape(std::string_view s);
// "12.345" (seconds with millisecond precision).
std::string seconds_text(std::chrono::milliseconds t);
// The findings that explain a verdict, one per line: "[fail] rule: message" and its quotes.
std::string findings_text(const RunResult& r);

}  // namespace exosim::scenario
