#pragma once
// The lab DNS stub on the network (serve --dns): one thread serving UDP and TCP on the same
// address and port, answering through lab::dns::Responder (no recursion, no forwarding). No Asio
// in this header.
#include <cstdint>
#include <memory>
#include <string>

#include "lab/dns_responder.hpp"
#include "lab/dns_zone.hpp"

namespace exosim::transport {

struct DnsServerOptions {
    std::string address = "127.0.0.1";
    std::uint16_t port = 1053;  // 0: a free port (the same one for UDP and TCP)
    lab::dns::Zone zone;
    lab::dns::RateLimit rate_limit;
};

class DnsServer {
public:
    explicit DnsServer(DnsServerOptions options);
    ~DnsServer();  // stops and joins
    DnsServer(const DnsServer&) = delete;
    DnsServer& operator=(const DnsServer&) = delete;

    // Binds UDP and TCP and starts the thread. Throws std::runtime_error naming the address.
    void start();
    void stop();
    std::uint16_t port() const;
    // "listening dns 127.0.0.1:1053 udp+tcp" (tests parse it).
    std::string listening_line() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace exosim::transport
