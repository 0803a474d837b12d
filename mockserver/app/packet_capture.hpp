#pragma once
// serve --evidence with Wireshark's `dumpcap` on PATH: one capture of the listeners' TCP ports
// for the whole run, <dir>/capture.pcapng (a session's packets are those on its client port:
// docs/notes/labkit.md). Without dumpcap there is no pcap; nothing else changes.
#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "transport/server.hpp"

namespace exosim::app {

class PacketCapture {
public:
    PacketCapture(pid_t pid, std::filesystem::path file) : pid_(pid), file_(std::move(file)) {}
    ~PacketCapture();  // SIGTERM (dumpcap finishes the file), SIGKILL after capture_stop_timeout
    PacketCapture(const PacketCapture&) = delete;
    PacketCapture& operator=(const PacketCapture&) = delete;
    const std::filesystem::path& file() const { return file_; }

private:
    pid_t pid_;
    std::filesystem::path file_;
};

// dumpcap's capture filter for the bound ports: "tcp port 1587 or tcp port 1025 ...".
std::string capture_filter(const std::vector<transport::BoundListener>& listeners);

// Starts dumpcap on "lo" when every listener is on a loopback address, else on "any"; waits
// (bounded) until it has created its file. Null, with a line on stderr, when dumpcap is not
// on PATH or does not start.
std::unique_ptr<PacketCapture> start_packet_capture(const std::vector<transport::BoundListener>& listeners,
                                                    const std::filesystem::path& dir);

}  // namespace exosim::app
