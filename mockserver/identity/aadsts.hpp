#pragma once
// The one catalogue of Entra ID (AADSTS) errors the sign-in service returns, each with its OAuth
// `error`, HTTP status, `suberror` and text, and a source tag (reference = ../shared/reference/
// entra-id-oauth.md §4; [DOC] Microsoft's "Microsoft Entra authentication and authorization error
// codes" page as quoted there; [WIRE] seen in a response; [INFER] our choice where nothing was
// found). Texts may hold positional placeholders {0}, {1}, {2}.
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace exosim::identity {

struct AadstsEntry {
    unsigned code;
    std::string_view error;     // OAuth error (RFC 6749 5.2 and Entra's extensions)
    unsigned status;            // 400, or 401 for invalid_client (reference §4)
    std::string_view suberror;  // empty: none sent
    std::string_view text;      // after "AADSTSnnnnn: "
    std::string_view source;
};

std::span<const AadstsEntry> aadsts_catalogue();
const AadstsEntry* find_aadsts(unsigned code);

// One error, ready to render; a typed value, worded once in error_response.cpp.
struct AadError {
    unsigned code = 0;
    std::string error;
    unsigned status = 400;
    std::string suberror;
    std::string text;  // placeholders filled in
};

// The catalogue entry `code` with its placeholders filled from `args`. Throws std::logic_error
// for a code not in the catalogue (a programming error, caught by the catalogue test).
AadError aad_error(unsigned code, std::vector<std::string> args = {});
// The same, with the OAuth error replaced: device-flow states share codes with other grants
// (e.g. 70000 is invalid_grant in general and bad_verification_code for an unknown device code).
AadError aad_error_as(unsigned code, std::string_view error, std::vector<std::string> args = {});

}  // namespace exosim::identity
