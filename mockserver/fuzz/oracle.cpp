// Judging a client run from its exit, stderr, memory and the wire verdicts.
#include "fuzz/oracle.hpp"

#include <csignal>

#include "fuzz/anomaly.hpp"

namespace exosim::fuzz {

namespace {

constexpr int fatal_signals[] = {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS};

bool is_fatal(int sig) {
    for (int s : fatal_signals) {
        if (s == sig) return true;
    }
    return false;
}

std::vector<std::string_view> lines_of(std::string_view text) {
    std::vector<std::string_view> out;
    for (std::size_t from = 0; from < text.size();) {
        std::size_t nl = text.find('\n', from);
        if (nl == std::string_view::npos) nl = text.size();
        out.push_back(text.substr(from, nl - from));
        from = nl + 1;
    }
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

bool runtime_frame(std::string_view fn) {
    for (std::string_view p : {"__asan", "__interceptor", "__sanitizer", "__ubsan", "__msan", "__lsan", "__libc_start", "_start"})
        if (fn.starts_with(p)) return true;
    return fn.empty();
}

// "#1 0x55d in parse_reply(char const*) /src/x.c:12:3" -> "parse_reply"
std::optional<std::string> asan_frame(std::string_view line) {
    line = trim(line);
    if (!line.starts_with('#')) return std::nullopt;
    const std::size_t in = line.find(" in ");
    if (in == std::string_view::npos) return std::nullopt;
    std::string_view fn = line.substr(in + 4);
    fn = fn.substr(0, std::min(fn.find(' '), fn.find('(')));
    if (runtime_frame(fn)) return std::nullopt;
    return std::string(fn);
}

// "x.c:12:5: runtime error: ..." -> "x.c:12"
std::optional<std::string> ubsan_frame(std::string_view line) {
    const std::size_t at = line.find(": runtime error:");
    if (at == std::string_view::npos) return std::nullopt;
    std::string_view where = line.substr(0, at);
    if (const std::size_t slash = where.rfind('/'); slash != std::string_view::npos) where.remove_prefix(slash + 1);
    if (const std::size_t c1 = where.find(':'); c1 != std::string_view::npos) {
        const std::size_t c2 = where.find(':', c1 + 1);
        where = where.substr(0, c2);
    }
    if (where.empty()) return std::nullopt;  // ": runtime error:" at the start of a line names no place
    return std::string(where);
}

}  // namespace

std::optional<std::string> sanitizer_kind(std::string_view text) {
    for (std::string_view line : lines_of(text)) {
        for (std::string_view tool : {"AddressSanitizer", "LeakSanitizer", "MemorySanitizer", "ThreadSanitizer"}) {
            const std::size_t at = line.find(std::string(tool) + ": ");
            if (at == std::string_view::npos || (line.find("ERROR: ") == std::string_view::npos && line.find("WARNING: ") == std::string_view::npos))
                continue;
            std::string_view rest = line.substr(at);
            rest = rest.substr(0, std::min(rest.find(" on "), rest.find(" (")));
            return std::string(trim(rest));
        }
        if (line.find(": runtime error: ") != std::string_view::npos) return "UndefinedBehaviorSanitizer: runtime error";
    }
    return std::nullopt;
}

std::vector<std::string> sanitizer_frames(std::string_view text, std::size_t n) {
    std::vector<std::string> frames;
    for (std::string_view line : lines_of(text)) {
        if (frames.size() >= n) break;
        auto f = asan_frame(line);
        if (!f && frames.empty()) f = ubsan_frame(line);
        if (f) frames.push_back(std::move(*f));
    }
    return frames;
}

std::string signal_name(int sig) {
    switch (sig) {
        case SIGSEGV: return "SIGSEGV";
        case SIGABRT: return "SIGABRT";
        case SIGBUS: return "SIGBUS";
        case SIGFPE: return "SIGFPE";
        case SIGILL: return "SIGILL";
        case SIGTRAP: return "SIGTRAP";
        case SIGSYS: return "SIGSYS";
        case SIGKILL: return "SIGKILL";
        case SIGTERM: return "SIGTERM";
        default: return "signal " + std::to_string(sig);
    }
}

std::optional<int> crash_signal(const Observation& o) {
    if (o.signal && is_fatal(*o.signal)) return o.signal;
    if (o.exit_code && *o.exit_code > 128 && is_fatal(*o.exit_code - 128)) return *o.exit_code - 128;
    return std::nullopt;
}

std::optional<Fault> judge(const Observation& o) {
    if (auto kind = sanitizer_kind(o.stderr_tail)) return Fault{"sanitizer", *kind, sanitizer_frames(o.stderr_tail)};
    if (o.rss_exceeded) return Fault{"memory", "resident memory over the limit (" + std::to_string(o.peak_rss_kb) + " KiB)", {}};
    if (auto sig = crash_signal(o)) return Fault{"crash", signal_name(*sig), {}};
    if (o.probe_failed) return Fault{"probe", "the device's liveness probe failed after the case", {}};
    if (o.no_session) return Fault{"reconnect", "no session within the reconnect window", {}};
    if (o.timed_out) return Fault{"hang", "no exit by the case deadline", {}};
    if (!o.failed_rules.empty()) return Fault{"behaviour", o.failed_rules.front(), {}};
    return std::nullopt;
}

std::string signature(const Fault& f, const std::vector<Anomaly>& anomalies) {
    std::string out = f.oracle + ":" + f.detail + "|";
    for (std::size_t i = 0; i < anomalies.size(); ++i)
        out += (i ? "," : "") + std::string(stage_name(anomalies[i].stage)) + "/" + anomaly_classes()[anomalies[i].cls].name;
    if (!f.frames.empty()) {
        out += "|frames:";
        for (std::size_t i = 0; i < f.frames.size(); ++i) out += (i ? ";" : "") + f.frames[i];
    }
    return out;
}

}  // namespace exosim::fuzz
