#pragma once
// One scenario run as one timeline (issue 13 "One attempt = identity requests + SMTP sessions"):
// the sign-in requests and every connection's transcript lines, in time order since the run began.
#include <string>
#include <vector>

#include "scenario/trace.hpp"
#include "scenario/transcript_text.hpp"

namespace exosim::scenario {

struct TimelineLine {
    Millis t{0};                // since the run began
    std::string source;         // "identity", "#1", "#2", ... (connection), "harness"
    std::string text;           // identity: oauth identity_line(); SMTP: "C: EHLO x" / "S: 250 ..."
    bool tls = false;           // SMTP inside TLS; identity requests are always HTTPS
};

// `transcripts` are the run's connections (same order as trace.connections).
std::vector<TimelineLine> build_timeline(const Trace& trace, const std::vector<ConnectionTranscript>& transcripts);
// "  1.234s  identity  POST ..." lines joined with "\n".
std::string timeline_text(const std::vector<TimelineLine>& timeline);

}  // namespace exosim::scenario
