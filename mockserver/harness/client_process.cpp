#include "harness/client_process.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace exosim::harness {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

void keep_tail(std::string& tail, const char* data, std::size_t n, std::size_t max) {
    tail.append(data, n);
    if (tail.size() > max) tail.erase(0, tail.size() - max);
}

void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

// VmRSS in KiB, 0 when the process is gone or the line is missing.
std::size_t rss_kb(pid_t pid) {
    const std::string path = "/proc/" + std::to_string(pid) + "/status";
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    char buf[4096];
    const ssize_t n = ::read(fd, buf, sizeof buf - 1);
    ::close(fd);
    if (n <= 0) return 0;
    buf[n] = 0;
    const char* line = std::strstr(buf, "VmRSS:");
    return line ? std::strtoull(line + 6, nullptr, 10) : 0;
}

// The largest VmRSS in the process tree under `pid` (`sh -c` may fork the client rather than
// exec it), following /proc/<pid>/task/<pid>/children a few levels down.
std::size_t tree_rss_kb(pid_t pid, int depth = 0) {
    std::size_t peak = rss_kb(pid);
    if (depth >= 4) return peak;
    const std::string path = "/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children";
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return peak;
    char buf[512];
    const ssize_t n = ::read(fd, buf, sizeof buf - 1);
    ::close(fd);
    if (n <= 0) return peak;
    buf[n] = 0;
    for (char* p = buf; *p;) {
        char* end = nullptr;
        const long child = std::strtol(p, &end, 10);
        if (end == p) break;
        if (child > 0) peak = std::max(peak, tree_rss_kb(static_cast<pid_t>(child), depth + 1));
        p = end;
    }
    return peak;
}

// Samples the memory oracle; true when the limit was crossed (the caller kills).
bool over_rss(pid_t pid, const ProcessOptions& options, ProcessResult& result) {
    if (options.max_rss_kb == 0) return false;
    result.peak_rss_kb = std::max(result.peak_rss_kb, tree_rss_kb(pid));
    return result.peak_rss_kb > options.max_rss_kb;
}

}  // namespace

ProcessResult run_command(const std::string& command, const ProcessOptions& options) {
    ProcessResult result;
    auto started = Clock::now();
    int out[2] = {-1, -1};
    int err[2] = {-1, -1};
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
        result.error = std::string("pipe: ") + std::strerror(errno);
        close_fd(out[0]), close_fd(out[1]), close_fd(err[0]), close_fd(err[1]);
        return result;
    }
    // posix_spawn (glibc: clone with CLONE_VM|CLONE_VFORK) rather than fork(): no copy of this
    // large, threaded process's page tables per command, which dominated fuzz-client's cost per
    // case. The child gets its own process group, stdin /dev/null, SIGPIPE default, no blocked signals.
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    ::posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    ::posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    ::posix_spawnattr_init(&attr);
    sigset_t defaults, none;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigemptyset(&none);
    ::posix_spawnattr_setsigdefault(&attr, &defaults);
    ::posix_spawnattr_setsigmask(&attr, &none);
    ::posix_spawnattr_setpgroup(&attr, 0);
    ::posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    pid_t pid = -1;
    const char* argv[] = {"sh", "-c", command.c_str(), nullptr};
    const int spawned = ::posix_spawn(&pid, "/bin/sh", &actions, &attr, const_cast<char* const*>(argv), environ);
    ::posix_spawn_file_actions_destroy(&actions);
    ::posix_spawnattr_destroy(&attr);
    if (spawned != 0) {
        result.error = std::string("posix_spawn: ") + std::strerror(spawned);
        close_fd(out[0]), close_fd(out[1]), close_fd(err[0]), close_fd(err[1]);
        return result;
    }
    close_fd(out[1]);
    close_fd(err[1]);

    auto deadline = started + options.timeout;
    bool term_sent = false;
    auto kill_at = Clock::time_point::max();
    char buffer[8192];
    int status = 0;
    bool reaped = false;
    // Read both pipes until both are closed and the child has exited. A child that exits while
    // a grandchild keeps the pipes open is done: stop reading once it is reaped and the pipes
    // are quiet for a moment.
    auto reaped_at = Clock::time_point::max();
    while (out[0] >= 0 || err[0] >= 0 || !reaped) {
        auto now = Clock::now();
        if (!reaped) {
            pid_t r = ::waitpid(pid, &status, WNOHANG);
            if (r == pid) {
                reaped = true;
                reaped_at = now;
            }
        }
        if (reaped && now - reaped_at > milliseconds(500)) break;
        if (!reaped && !result.rss_exceeded && over_rss(pid, options, result)) {
            result.rss_exceeded = true;
            ::kill(-pid, SIGKILL);
        }
        if (!reaped && !term_sent && now >= deadline) {
            result.timed_out = true;
            ::kill(-pid, SIGTERM);
            term_sent = true;
            kill_at = now + options.kill_grace;
        }
        if (term_sent && now >= kill_at) {
            ::kill(-pid, SIGKILL);
            kill_at = Clock::time_point::max();
        }
        pollfd fds[2];
        nfds_t n = 0;
        if (out[0] >= 0) fds[n++] = {out[0], POLLIN, 0};
        if (err[0] >= 0) fds[n++] = {err[0], POLLIN, 0};
        int wait_ms = 50;
        if (n == 0) {
            ::usleep(500);  // pipes closed; waiting only for the exit status (it is a zombie within microseconds)
            continue;
        }
        int ready = ::poll(fds, n, wait_ms);
        if (ready <= 0) continue;
        for (nfds_t i = 0; i < n; ++i) {
            if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            ssize_t got = ::read(fds[i].fd, buffer, sizeof buffer);
            bool is_out = fds[i].fd == out[0];
            if (got <= 0) {
                if (got < 0 && errno == EINTR) continue;
                close_fd(is_out ? out[0] : err[0]);
                continue;
            }
            keep_tail(is_out ? result.stdout_tail : result.stderr_tail, buffer, static_cast<std::size_t>(got),
                      options.tail_bytes);
        }
    }
    close_fd(out[0]);
    close_fd(err[0]);
    if (!reaped) ::waitpid(pid, &status, 0);
    // Whatever the command left behind in its group goes too (a backgrounded helper).
    ::kill(-pid, SIGKILL);
    if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
    else if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
    result.duration = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
    return result;
}

}  // namespace exosim::harness
