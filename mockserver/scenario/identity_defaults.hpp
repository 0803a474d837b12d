#pragma once
// Values of the embedded sign-in directory the verdict rules need without depending on the
// identity library (identity/identity_directory.hpp default_ids is the source; keep in step).
#include <string_view>

namespace exosim::scenario::rules {

// "Contoso Scan Daemon"'s secret (issue 14 "Directory"): never allowed in SMTP.
inline constexpr std::string_view default_client_secret = "Exosim-Secret-1";

}  // namespace exosim::scenario::rules
