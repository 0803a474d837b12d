#include "scenario/timeline.hpp"

#include <algorithm>

#include "scenario/oauth_view.hpp"

namespace exosim::scenario {

std::vector<TimelineLine> build_timeline(const Trace& trace, const std::vector<ConnectionTranscript>& transcripts) {
    std::vector<TimelineLine> out;
    // Nothing to merge: a run without sign-in requests keeps its per-connection transcripts only.
    if (trace.identity.empty() && trace.job_starts.size() < 2 && trace.clock_advances.empty()) return out;
    // "exchange": the submission endpoint's check of an XOAUTH2 token (oauth::is_xoauth2).
    for (const IdentityRecord& r : trace.identity)
        out.push_back({r.t, oauth::is_xoauth2(r) ? "exchange" : "identity", oauth::identity_line(r), true});
    for (std::size_t i = 0; i < trace.job_starts.size(); ++i)
        out.push_back({trace.job_starts[i], "harness", "job " + std::to_string(i + 1) + " starts", false});
    for (const ClockAdvance& a : trace.clock_advances)
        out.push_back({a.t, "harness", "sign-in clock moved forward " + std::to_string(a.by.count()) + " s", false});
    for (std::size_t i = 0; i < transcripts.size() && i < trace.connections.size(); ++i) {
        const std::string src = "#" + std::to_string(i + 1);
        for (const TranscriptLine& l : transcripts[i].lines) {
            const std::string who = l.dir == TranscriptLine::Dir::event ? "" : l.same_read ? ".. " : l.dir == TranscriptLine::Dir::client ? "C: " : "S: ";
            out.push_back({trace.connections[i].start + l.t, src, who + l.text, l.tls});
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const TimelineLine& a, const TimelineLine& b) { return a.t < b.t; });
    return out;
}

std::string timeline_text(const std::vector<TimelineLine>& timeline) {
    std::string out;
    for (const TimelineLine& l : timeline) {
        std::string src = l.source;
        src.resize(std::max<std::size_t>(src.size(), 8), ' ');
        out += (out.empty() ? "" : "\n") + rules::seconds(l.t) + "  " + src + " " + (l.tls ? "[tls] " : "      ") + l.text;
    }
    return out;
}

}  // namespace exosim::scenario
