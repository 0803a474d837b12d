#pragma once
// A connection's transcript as display lines, EAST style: "C:"/"S:" per line, ".." for a line
// that arrived in the same read (or write) as the line before it, TLS and close markers between.
// Built from the ClientView so SASL secrets are redacted and long bodies abbreviated.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/client_view.hpp"

namespace exosim::scenario {

struct TranscriptLine {
    enum class Dir { client, server, event };
    Dir dir = Dir::event;
    Millis t{0};
    bool tls = false;
    bool same_read = false;     // ".." in the text form
    std::string text;           // printable ASCII (see visible()); never the raw bytes
};

struct ConnectionTranscript {
    std::string session_id;
    std::string listener;
    std::vector<TranscriptLine> lines;
};

// Body lines shown per body before the rest is summarised.
inline constexpr std::size_t transcript_body_lines = 40;

ConnectionTranscript build_transcript(const ConnectionTrace& trace, const ClientView& view);
// "  0.120s  C: EHLO x" lines joined with "\n"; TLS shown as "[tls]" after the time.
std::string transcript_text(const ConnectionTranscript& t);

// Printable form of wire bytes: CR as "\r", LF as "\n", other controls and bytes >= 0x7f as
// "\xNN". A line ending is not part of `bytes` unless it is bare or misplaced.
std::string visible(std::string_view bytes);
// A client line as shown in transcripts and findings: visible(), a bare LF or a missing line end
// marked, and SASL secrets (AUTH initial response, continuation lines other than "*") replaced
// by their length: reports get attached to tickets.
std::string display_line(const ClientLine& line);

}  // namespace exosim::scenario
