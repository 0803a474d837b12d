#pragma once
// A local CA and the server certificates exosim serves, generated with OpenSSL 3 on first start
// under <data-dir>/tls, plus the deliberately broken certificates the harness serves (TLS-06).
//
// Layout of <dir>: ca.pem/ca.key (root "exosim local CA"), intermediate.pem/.key, and per name
// <safe-name>[.<variant>].pem/.key (client certificates: client-<safe-name>[.<variant>].*). A
// served .pem holds the leaf followed by what the server sends with it. Files are reused while
// valid, written atomically (temporary name, fsync, rename) under an flock on <dir>/.lock, so
// several processes may start at once. Keys are RSA 2048 (what Exchange Online serves), SHA-256.
#include <filesystem>
#include <string>
#include <string_view>
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

// "valid", "self_signed", ... (also the file-name suffix); parse returns false for unknown text.
std::string_view cert_variant_name(CertVariant v);
bool parse_cert_variant(std::string_view text, CertVariant& out);

struct CertFiles {
    std::filesystem::path chain;  // PEM: leaf then intermediate(s) as served
    std::filesystem::path key;    // PEM private key
};

class CertificateAuthority {
public:
    // Loads or creates <dir>/ca.pem, ca.key, intermediate.pem, intermediate.key. Idempotent.
    // Throws std::runtime_error when the directory or OpenSSL fails.
    explicit CertificateAuthority(std::filesystem::path dir);
    const std::filesystem::path& ca_file() const { return ca_file_; }
    const std::filesystem::path& intermediate_file() const { return intermediate_file_; }
    const std::filesystem::path& dir() const { return dir_; }
    // Certificate for `name` (DNS SAN, or IP SAN when `name` is an IP literal). Wildcards allowed
    // ("*.mail.protection.outlook.com"). Generated once, reused afterwards.
    CertFiles server_cert(const std::string& name, CertVariant variant = CertVariant::valid);
    // Client certificate (for relay connectors) with CN and DNS SAN `name`, EKU clientAuth; the
    // chain file holds leaf + intermediate. Variants other than `valid` give a certificate a
    // server cannot verify (self_signed, unknown_ca, expired, ...).
    CertFiles client_cert(const std::string& name, CertVariant variant = CertVariant::valid);
    // The default set: smtp.office365.com, smtp-legacy.office365.com, *.mail.protection.outlook.com,
    // localhost, 127.0.0.1 (one certificate each, picked by SNI), and the sign-in certificate.
    void ensure_defaults();
    static const std::vector<std::string>& default_names();

    // The sign-in service's certificate: one leaf (CN login.microsoftonline.com) whose DNS SANs are
    // signin_names(), as Microsoft's login certificate names its aliases. Files
    // login.microsoftonline.com.pem/.key; regenerated when their SANs differ from the list.
    CertFiles signin_cert();
    static const std::vector<std::string>& signin_names();

    // A client certificate for an app registration (certificate credential, RFC 7523 client
    // assertions): CN `display_name`, EKU clientAuth, signed by the intermediate, issued once and
    // kept under <dir>/apps/<app_id>.crt.pem (the leaf only) and <app_id>.key.pem. `app_id` is the
    // client id (a GUID); anything but [0-9A-Za-z-] is refused.
    CertFiles app_cert(const std::string& app_id, const std::string& display_name);

    // File-name stem for a certificate name: "*" becomes "_wildcard_", anything outside
    // [A-Za-z0-9.-] becomes "_", and a leading "." becomes "_".
    static std::string safe_name(std::string_view name);

private:
    CertFiles issue(const std::string& name, CertVariant variant, bool client);

    std::filesystem::path dir_;
    std::filesystem::path ca_file_;
    std::filesystem::path intermediate_file_;
};

}  // namespace exosim::transport
