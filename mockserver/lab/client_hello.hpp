#pragma once
// A TLS ClientHello handshake message (RFC 8446 4.1.2, RFC 5246 7.4.1.2) reduced to what a lab
// report shows and what JA3/JA4 fingerprints hash. Sans-I/O, std only; the hashes (MD5 for JA3,
// SHA-256 for JA4) are taken by the caller over the texts built here.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace exosim::lab {

struct ClientHello {
    std::uint16_t legacy_version = 0;
    std::vector<std::uint16_t> ciphers;              // as offered, GREASE included
    std::vector<std::uint16_t> extensions;           // in order, GREASE included
    std::vector<std::uint16_t> supported_versions;   // extension 43
    std::vector<std::uint16_t> groups;               // extension 10
    std::vector<std::uint8_t> point_formats;         // extension 11
    std::vector<std::uint16_t> signature_algorithms; // extension 13
    std::string sni;                                 // extension 0, host_name
    std::vector<std::string> alpn;                   // extension 16
};

// `message` is the handshake message: type 1, 24-bit length, body. nullopt when it is not a
// well-formed ClientHello (any length that runs past its container).
std::optional<ClientHello> parse_client_hello(std::string_view message);

// RFC 8701: GREASE values are 0x?A?A with both octets equal.
bool is_grease(std::uint16_t value);
// The highest version offered: supported_versions (GREASE skipped) or the legacy version.
std::uint16_t highest_version(const ClientHello& hello);
// "TLSv1.2" ...; "0x0300" style for others.
std::string version_name(std::uint16_t version);

// JA3 (Salesforce): "version,ciphers,extensions,groups,point_formats", decimal, '-'-joined,
// GREASE removed. Its MD5 is the JA3 fingerprint.
std::string ja3_text(const ClientHello& hello);

// JA4 (FoxIO, TCP): a = "t" + version + d|i + cipher count + extension count + ALPN chars;
// b and c are the texts whose SHA-256 (first 12 hex digits) complete the fingerprint.
struct Ja4Parts {
    std::string a;
    std::string ciphers;     // sorted 4-hex-digit ciphers, ','-joined; empty: "000000000000"
    std::string extensions;  // sorted extensions without SNI/ALPN, then "_" + signature algorithms
};
Ja4Parts ja4_parts(const ClientHello& hello);

}  // namespace exosim::lab
