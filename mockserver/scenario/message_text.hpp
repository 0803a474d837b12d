#pragma once
// The message a recorded body carries, and the few RFC 5322 / MIME facts the verdict rules read
// from it. Tolerant by design: it reads what a client under test produced, not trusted input.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/client_view.hpp"
#include "scenario/mime_entity.hpp"  // HeaderField, header_fields

namespace exosim::scenario {

// Physical body lines with their line endings ("\r\n", "\n", "\r" or ""), terminator included.
std::vector<std::string_view> body_lines(std::string_view raw);

// RFC 5321 4.5.2: DATA bodies lose the terminator and one leading dot per line; BDAT bodies
// are returned as sent.
std::string message_text(const Body& body);

// The decoded content of the first MIME part whose filename= (Content-Disposition) or name=
// (Content-Type) is `filename`; base64 and quoted-printable are decoded. nullopt: no such part.
std::optional<std::string> find_attachment(std::string_view message, std::string_view filename);

}  // namespace exosim::scenario
