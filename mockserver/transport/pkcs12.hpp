#pragma once
// PKCS#12 (.p12/.pfx) bundles of a client certificate for devices that import only that form.
#include <filesystem>
#include <string>

#include "transport/certs.hpp"

namespace exosim::transport {

enum class Pkcs12Format {
    modern,  // OpenSSL 3 default: PBES2 AES-256-CBC, PBKDF2, HMAC-SHA256 MAC
    legacy,  // PBE-SHA1-3DES for key and certificates, HMAC-SHA1 MAC: older devices and Windows
};

// Writes key + leaf + chain (intermediate from `cert.chain`, then `ca_file`) to `out`, protected
// by `password`, friendly name `name`. Throws std::runtime_error.
void write_pkcs12(const CertFiles& cert, const std::filesystem::path& ca_file, const std::filesystem::path& out,
                  const std::string& password, const std::string& name, Pkcs12Format format);

}  // namespace exosim::transport
