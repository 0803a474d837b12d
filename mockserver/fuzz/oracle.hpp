#pragma once
// Oracles for a command client judged from the outside (client-fuzzing.md §3): exit by a fatal
// signal, a sanitizer report on stderr, no exit by the case deadline (hang), resident memory over
// the limit, and certify's behavioural rules (credentials or mail in clear). Sans-I/O: the
// harness observes, these functions decide. A fault's signature is what findings are
// de-duplicated by: oracle + stage/class of each anomaly + the sanitizer's top frames.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/fuzz_case.hpp"

namespace exosim::fuzz {

struct Observation {
    std::optional<int> exit_code;
    std::optional<int> signal;
    bool timed_out = false;
    bool rss_exceeded = false;
    std::size_t peak_rss_kb = 0;
    std::string stderr_tail;
    std::vector<std::string> failed_rules;  // behaviour_rules() that failed on the wire
    // Devices: no session within the reconnect window after the trigger; the liveness probe
    // (a TCP port of the device) refused after the case.
    bool no_session = false;
    bool probe_failed = false;
};

struct Fault {
    std::string oracle;               // crash, sanitizer, hang, memory, behaviour
    std::string detail;               // "SIGSEGV", "AddressSanitizer: heap-buffer-overflow", a rule id
    std::vector<std::string> frames;  // top frames of a sanitizer report (function or file:line)
};

// The first oracle that fires, in the order sanitizer, memory, crash, probe, reconnect, hang,
// behaviour (a sanitizer abort is also a signal; its report says more).
std::optional<Fault> judge(const Observation& o);

// "AddressSanitizer: heap-buffer-overflow", "UndefinedBehaviorSanitizer: runtime error", ... or
// nullopt when stderr has no sanitizer report.
std::optional<std::string> sanitizer_kind(std::string_view stderr_text);
// The first `n` frames of the report, outside the sanitizer runtime: "parse_reply" for
// "#1 0x4f in parse_reply(char const*) src/x.c:12", "x.c:12" for a UBSan "x.c:12:5: runtime error".
std::vector<std::string> sanitizer_frames(std::string_view stderr_text, std::size_t n = 3);
// "SIGSEGV" for 11; "signal 99" for unknown ones.
std::string signal_name(int sig);
// A fatal signal reported through a shell: exit 128+N for SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL.
std::optional<int> crash_signal(const Observation& o);

// "crash:SIGSEGV|mail/len-4096|frames:parse_reply;main"
std::string signature(const Fault& f, const std::vector<Anomaly>& anomalies);

}  // namespace exosim::fuzz
