#pragma once
// `exosim serve --dns`: the lab DNS stub's zone from the configuration, and where it listens.
#include <cstdint>
#include <string>

#include "app/config.hpp"
#include "lab/dns_zone.hpp"

namespace exosim::app {

// Without --real-ports the stub listens on 1053 (no privileges needed), with it on 53.
inline constexpr std::uint16_t lab_dns_port = 1053;
inline constexpr std::uint16_t lab_dns_real_port = 53;

// Hosts: the fixed lab names plus every tenant's mx_host, answered with `address`. Mail: each
// accepted domain's MX (its tenant's mx_host) and SPF TXT (spf_records). Owned zones: the
// accepted domains and exchange.mx_domain. Throws std::invalid_argument when `address` is not
// one IP address (a wildcard bind needs an explicit --bind for DNS answers).
lab::dns::Zone lab_zone(const AppConfig& config, const std::string& address);

}  // namespace exosim::app
