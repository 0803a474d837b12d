#pragma once
// The DATA payload as it goes on the wire (RFC 5321 4.5.2, 4.1.1.4).
#include <string>
#include <string_view>

namespace exosim::client {

struct DataOptions {
    bool dot_stuffing = true;  // off only for --quirk no-dot-stuffing
    bool bare_lf = false;      // on only for --quirk bare-lf: lines end in LF alone
};

// Normalises every bare CR, bare LF and CRLF to one line ending (CC-23: a bare LF passed through is
// how "\n.\r\n" smuggling starts), doubles a leading '.', and appends the single end-of-data
// sequence "CRLF . CRLF". The result holds exactly one end-of-data, at its end.
std::string encode_data(std::string_view message, const DataOptions& options = {});

}  // namespace exosim::client
