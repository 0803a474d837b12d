#include "app/packet_capture.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <thread>

extern char** environ;

namespace exosim::app {

namespace {

// dumpcap needs a moment to open the interface; a capture that has not started by then has failed.
constexpr std::chrono::seconds capture_start_timeout{5};
constexpr std::chrono::seconds capture_stop_timeout{3};
constexpr std::chrono::milliseconds capture_drain{500};

std::filesystem::path find_on_path(const std::string& program) {
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/bin:/bin";
    std::size_t start = 0;
    while (start <= dirs.size()) {
        std::size_t end = dirs.find(':', start);
        std::filesystem::path candidate = std::filesystem::path(dirs.substr(start, end - start)) / program;
        if (access(candidate.c_str(), X_OK) == 0) return candidate;
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return {};
}

bool exited(pid_t pid) {
    int status = 0;
    return waitpid(pid, &status, WNOHANG) == pid;
}

bool capturing(const std::filesystem::path& log) {
    std::ifstream in(log);
    std::string line;
    while (std::getline(in, line))
        if (line.starts_with("Capturing on")) return true;
    return false;
}

bool all_loopback(const std::vector<transport::BoundListener>& listeners) {
    for (const auto& l : listeners)
        if (!l.address.starts_with("127.") && l.address != "::1") return false;
    return true;
}

}  // namespace

PacketCapture::~PacketCapture() {
    // Packets still in the kernel's capture ring when dumpcap is told to stop are lost (seen: a
    // session just before shutdown missing entirely); libpcap hands them over within its read
    // timeout, so give it that long first.
    std::this_thread::sleep_for(capture_drain);
    kill(pid_, SIGTERM);
    auto deadline = std::chrono::steady_clock::now() + capture_stop_timeout;
    while (!exited(pid_)) {
        if (std::chrono::steady_clock::now() > deadline) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

std::string capture_filter(const std::vector<transport::BoundListener>& listeners) {
    std::string filter;
    for (const auto& l : listeners) filter += (filter.empty() ? "" : " or ") + std::string("tcp port ") + std::to_string(l.port);
    return filter;
}

std::unique_ptr<PacketCapture> start_packet_capture(const std::vector<transport::BoundListener>& listeners,
                                                    const std::filesystem::path& dir) {
    std::filesystem::path dumpcap = find_on_path("dumpcap");
    if (dumpcap.empty()) {
        std::cerr << "exosim: --evidence: dumpcap not found on PATH, no pcap (apt-get install tshark)\n";
        return nullptr;
    }
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    const std::filesystem::path file = dir / "capture.pcapng", log = dir / "dumpcap.log";
    std::filesystem::remove(file, ec);
    const std::string iface = all_loopback(listeners) ? "lo" : "any", filter = capture_filter(listeners);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    std::vector<std::string> args = {dumpcap.string(), "-q", "-i", iface, "-f", filter, "-w", file.string()};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    int rc = posix_spawn(&pid, dumpcap.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        std::cerr << "exosim: --evidence: cannot start dumpcap, no pcap\n";
        return nullptr;
    }
    auto deadline = std::chrono::steady_clock::now() + capture_start_timeout;
    // The file exists before packets are taken; "Capturing on" is printed once they are.
    while (!capturing(log)) {
        bool gone = exited(pid);
        if (gone || std::chrono::steady_clock::now() > deadline) {
            if (!gone) PacketCapture stop(pid, file);  // its destructor stops dumpcap
            std::cerr << "exosim: --evidence: dumpcap did not start capturing (see " << log.string() << "), no pcap\n";
            return nullptr;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return std::make_unique<PacketCapture>(pid, file);
}

}  // namespace exosim::app
