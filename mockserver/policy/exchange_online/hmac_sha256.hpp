#pragma once
// SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104) in plain C++, so the policy layer signs and
// verifies exosim's XOAUTH2 tokens without linking OpenSSL (DESIGN: OpenSSL stays in transport).
// Tested against FIPS 180-4 and RFC 4231 vectors. Not constant-time beyond the final comparison:
// it guards test tokens of an offline fake, not production secrets.
#include <array>
#include <cstdint>
#include <string_view>

namespace exosim::policy::exo {

using Sha256Digest = std::array<std::uint8_t, 32>;

Sha256Digest sha256(std::string_view data);
Sha256Digest hmac_sha256(std::string_view key, std::string_view message);
// Comparison whose time does not depend on where the inputs differ.
bool digest_equal(const Sha256Digest& a, const Sha256Digest& b);

}  // namespace exosim::policy::exo
