#pragma once
// `exosim ca client --domain contoso.com --out DIR [--password P] [--p12-format modern|legacy]
// [--config F] [--data-dir D]`: a client certificate from exosim's CA (<data-dir>/tls), naming
// the domain (CN and DNS SAN, EKU clientAuth), for a device that relays through a certificate
// connector. Writes DIR/<domain>.pem (leaf + intermediate), DIR/<domain>.key, DIR/<domain>.p12
// and DIR/ca.pem. Usage errors exit 2, others 1.
#include <string>
#include <string_view>
#include <vector>

namespace exosim::app {

// The .p12 password when --password is not given (documented in docs/notes/labkit.md).
inline constexpr std::string_view default_p12_password = "exosim";

// `args` excludes the program name and the command word ("ca").
int ca_command(const std::vector<std::string>& args);

}  // namespace exosim::app
