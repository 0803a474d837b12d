#pragma once
// SHA-256 (FIPS 180-4) in plain C++, for the identifiers Exchange prints (the Message-ID it makes
// for a message without one, the MX reply's InternalId): deterministic per session, so golden
// transcripts hold still, and without OpenSSL in the policy layer (DESIGN: OpenSSL stays in
// transport). Not used for anything secret: tokens are the sign-in service's RS256 (identity/).
// Tested against FIPS 180-4 vectors.
#include <array>
#include <cstdint>
#include <string_view>

namespace exosim::policy::exo {

using Sha256Digest = std::array<std::uint8_t, 32>;

Sha256Digest sha256(std::string_view data);

}  // namespace exosim::policy::exo
