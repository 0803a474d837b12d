#pragma once
// Runs one client command (`/bin/sh -c CMD`) with a timeout, keeping the tail of its stdout and
// stderr. The command gets its own process group, so a timeout kills everything it started
// (SIGTERM, then SIGKILL after a grace period), and stdin is /dev/null so it can never wait on
// the terminal.
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

namespace exosim::harness {

struct ProcessResult {
    std::optional<int> exit_code;   // nullopt: killed by a signal (timeout) or never started
    std::optional<int> signal;      // the signal that ended it
    bool timed_out = false;
    std::string stdout_tail;
    std::string stderr_tail;
    std::chrono::milliseconds duration{0};
    std::string error;              // why it could not be started (fork/pipe failure)
    std::size_t peak_rss_kb = 0;    // largest VmRSS of the command's process seen (sampled; 0: not sampled)
    bool rss_exceeded = false;      // killed for going over ProcessOptions::max_rss_kb
};

struct ProcessOptions {
    std::chrono::milliseconds timeout{std::chrono::seconds(60)};
    std::chrono::milliseconds kill_grace{std::chrono::seconds(2)};  // SIGTERM -> SIGKILL
    std::size_t tail_bytes = 64 * 1024;                              // kept per stream
    // fuzz-client's memory oracle: VmRSS of the process (/proc/<pid>/status) sampled at every
    // wake-up of the wait loop (at least every 50 ms); over the limit the group is killed. 0: off.
    std::size_t max_rss_kb = 0;
};

ProcessResult run_command(const std::string& command, const ProcessOptions& options = {});

}  // namespace exosim::harness
