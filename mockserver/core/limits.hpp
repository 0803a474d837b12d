#pragma once
// Named protocol limits. Each cites its source; tests exercise n-1, n, n+1.
#include <cstddef>
#include <cstdint>

namespace exosim::core::limits {

// RFC 5321 4.5.3.1.4: a command line is at most 512 octets including CRLF.
inline constexpr std::size_t max_command_line = 512;
// RFC 5321 4.5.3.1.6: a text line is at most 1000 octets including CRLF.
inline constexpr std::size_t max_text_line = 1000;
// RFC 4954 4: an AUTH exchange line may be up to 12288 octets (base64 of large tokens).
inline constexpr std::size_t max_sasl_line = 12288;
// RFC 5321 4.5.3.1.1 / .2 / .3: local-part, domain, path.
inline constexpr std::size_t max_local_part = 64;
inline constexpr std::size_t max_domain = 255;
inline constexpr std::size_t max_path = 256;
// RFC 5321 4.5.3.1.8: a server must accept at least 100 recipients.
inline constexpr std::size_t min_recipient_buffer = 100;
// Commands of junk (unrecognised verbs) before 421, as Postfix smtpd_junk_command_limit.
inline constexpr std::size_t junk_command_limit = 100;
// Bytes of unprocessed input kept while waiting for replies (pipelining cap).
inline constexpr std::size_t max_pipelined_input = 64 * 1024;

}  // namespace exosim::core::limits
