#pragma once
// Encodings the MIME builder needs: RFC 2045 quoted-printable, RFC 2047 encoded-words, RFC 5322 dates
// and line endings. Pure functions, so each is unit-tested on its own.
#include <ctime>
#include <string>
#include <string_view>

namespace exosim::client {

// Every bare CR, bare LF and CRLF becomes CRLF (RFC 5322 2.1).
std::string normalize_crlf(std::string_view text);
// True when text is 7-bit without NUL or stray control characters and every line fits in 998 octets
// (RFC 5322 2.1.1), i.e. it can go as Content-Transfer-Encoding: 7bit.
bool fits_7bit(std::string_view crlf_text);
// RFC 2045 6.7: CRLF line breaks kept as such, soft breaks keep encoded lines at most 76 characters.
std::string quoted_printable(std::string_view crlf_text);
// RFC 2047: ASCII text unchanged; otherwise UTF-8 "B" encoded-words of at most 75 characters, never
// splitting a UTF-8 sequence, joined by a folding CRLF SP.
std::string encode_header_text(std::string_view utf8);
// RFC 5322 3.3 date-time in UTC: "Tue, 01 Jul 2025 10:00:00 +0000".
std::string rfc5322_date(std::time_t when);
// RFC 2183 / RFC 2231: a filename parameter, quoted when ASCII, percent-encoded UTF-8 otherwise.
std::string filename_parameter(std::string_view name);

}  // namespace exosim::client
