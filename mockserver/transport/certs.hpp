#pragma once
// A local CA and the server certificates exosim serves, generated with OpenSSL 3 on first start
// under <data-dir>/tls, plus the deliberately broken certificates the harness serves (TLS-06).
#include <filesystem>
#include <string>
#include <vector>

namespace exosim::transport {

enum class CertVariant {
    valid,                 // leaf signed by the intermediate, chain served
    self_signed,
    unknown_ca,            // signed by a CA that is not <data-dir>/tls/ca.pem
    wrong_host,            // names other.example.org
    expired,
    not_yet_valid,
    missing_intermediate,  // leaf served without its intermediate
};

struct CertFiles {
    std::filesystem::path chain;  // PEM: leaf then intermediate(s) as served
    std::filesystem::path key;    // PEM private key
};

class CertificateAuthority {
public:
    // Loads or creates <dir>/ca.pem, ca.key, intermediate.pem, intermediate.key. Idempotent.
    explicit CertificateAuthority(std::filesystem::path dir);
    const std::filesystem::path& ca_file() const { return ca_file_; }
    // Certificate for `name` (DNS SAN, or IP SAN when `name` is an IP literal). Wildcards allowed
    // ("*.mail.protection.outlook.com"). Generated once, reused afterwards.
    CertFiles server_cert(const std::string& name, CertVariant variant = CertVariant::valid);
    // Client certificate (for relay connectors) with CN and DNS SAN `name`.
    CertFiles client_cert(const std::string& name);
    // The default set: smtp.office365.com, smtp-legacy.office365.com, *.mail.protection.outlook.com,
    // localhost, 127.0.0.1.
    void ensure_defaults();

private:
    std::filesystem::path dir_;
    std::filesystem::path ca_file_;
};

}  // namespace exosim::transport
