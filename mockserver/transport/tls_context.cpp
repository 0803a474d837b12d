#include "transport/tls_context.hpp"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <stdexcept>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "transport/tls_hello.hpp"

namespace exosim::transport {

namespace ssl = boost::asio::ssl;

namespace {

std::string openssl_errors() {
    std::string text;
    while (unsigned long e = ERR_get_error()) {
        char buf[256];
        ERR_error_string_n(e, buf, sizeof buf);
        text += text.empty() ? "" : "; ";
        text += buf;
    }
    return text;
}

[[noreturn]] void fail(const std::string& what) {
    std::string errors = openssl_errors();
    throw std::runtime_error("tls: " + what + (errors.empty() ? "" : ": " + errors));
}

// Slot on each SSL holding the first certificate verification error seen in the handshake.
int verify_error_index() {
    static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
    return index;
}

// Accepts every client certificate so the session can go on; the first failure is kept for
// peer_verify_error() and SSL_get_verify_result() still reports it.
int accept_and_record(int preverify_ok, X509_STORE_CTX* store) {
    if (!preverify_ok) {
        auto* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
        int err = X509_STORE_CTX_get_error(store);
        if (ssl && err != X509_V_OK && !SSL_get_ex_data(ssl, verify_error_index()))
            SSL_set_ex_data(ssl, verify_error_index(), reinterpret_cast<void*>(static_cast<std::intptr_t>(err)));
    }
    return 1;
}

// TLS 1.0/1.1 sign with MD5-SHA1 and use SHA-1 ciphers: only security level 0 allows them.
// The level is per context, so other listeners keep the system default.
std::string with_security_level(const std::string& ciphers, core::TlsVersion min) {
    if (min >= core::TlsVersion::tls1_2) return ciphers;
    return (ciphers.empty() ? std::string("DEFAULT") : ciphers) + ":@SECLEVEL=0";
}

// Version range, security level and cipher lists shared by server and client contexts.
void apply_protocol(SSL_CTX* ctx, core::TlsVersion min, core::TlsVersion max, const std::string& ciphers,
                    const std::string& ciphersuites) {
    int lo = openssl_version(min), hi = openssl_version(max);
    if (lo > hi) throw std::invalid_argument("tls: minimum version above maximum");
    if (!SSL_CTX_set_min_proto_version(ctx, lo) || !SSL_CTX_set_max_proto_version(ctx, hi)) fail("protocol range");
    bool legacy = lo < TLS1_2_VERSION;
    std::string list = with_security_level(ciphers, min);
    if (!list.empty() && !SSL_CTX_set_cipher_list(ctx, list.c_str())) fail("cipher list '" + list + "'");
    if (legacy) SSL_CTX_set_security_level(ctx, 0);
    if (!ciphersuites.empty() && !SSL_CTX_set_ciphersuites(ctx, ciphersuites.c_str()))
        fail("TLS 1.3 ciphersuites '" + ciphersuites + "'");
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
}

// Server preference, the per-version cipher lists and the evidence callbacks (tls_hello.*).
void apply_server_hello(SSL_CTX* ctx, const TlsSettings& settings) {
    if (settings.server_preference) SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE);
    std::string legacy;
    if (!settings.legacy_ciphers.empty()) {
        legacy = with_security_level(settings.legacy_ciphers, settings.min);
        // Checked now: a bad list is a configuration error, not a failed handshake later.
        SSL_CTX* probe = SSL_CTX_new(TLS_server_method());
        bool ok = probe && SSL_CTX_set_cipher_list(probe, legacy.c_str()) == 1;
        SSL_CTX_free(probe);
        if (!ok) fail("legacy cipher list '" + legacy + "'");
    }
    install_hello_callbacks(ctx, settings, with_security_level(settings.ciphers, settings.min), legacy);
}

void load_chain(SSL_CTX* ctx, const CertFiles& cert) {
    if (SSL_CTX_use_certificate_chain_file(ctx, cert.chain.c_str()) != 1) fail("certificate chain " + cert.chain.string());
    if (SSL_CTX_use_PrivateKey_file(ctx, cert.key.c_str(), SSL_FILETYPE_PEM) != 1) fail("private key " + cert.key.string());
    if (SSL_CTX_check_private_key(ctx) != 1) fail("key does not match " + cert.chain.string());
}

void request_client_cert(SSL_CTX* ctx, const std::filesystem::path& ca_file, const std::vector<std::string>& more) {
    if (SSL_CTX_load_verify_locations(ctx, ca_file.c_str(), nullptr) != 1) fail("CA file " + ca_file.string());
    // Owned here until the context takes it, so a bad trusted_ca file does not leak the stack.
    auto free_names = [](STACK_OF(X509_NAME)* s) { sk_X509_NAME_pop_free(s, X509_NAME_free); };
    std::unique_ptr<STACK_OF(X509_NAME), decltype(free_names)> names(SSL_load_client_CA_file(ca_file.c_str()),
                                                                     free_names);
    if (!names) fail("CA names from " + ca_file.string());
    for (const std::string& file : more) {
        if (SSL_CTX_load_verify_locations(ctx, file.c_str(), nullptr) != 1) fail("trusted CA file " + file);
        if (SSL_add_file_cert_subjects_to_stack(names.get(), file.c_str()) != 1) fail("CA names from " + file);
    }
    SSL_CTX_set_client_CA_list(ctx, names.release());  // the context takes ownership
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_CLIENT_ONCE, accept_and_record);
    // Session resumption with client verification requires a session id context.
    static const unsigned char sid_ctx[] = "exosim";
    SSL_CTX_set_session_id_context(ctx, sid_ctx, sizeof sid_ctx - 1);
}

core::TlsVersion version_of(const SSL* ssl) {
    switch (SSL_version(ssl)) {
    case TLS1_VERSION: return core::TlsVersion::tls1_0;
    case TLS1_1_VERSION: return core::TlsVersion::tls1_1;
    case TLS1_2_VERSION: return core::TlsVersion::tls1_2;
    case TLS1_3_VERSION: return core::TlsVersion::tls1_3;
    default: return core::TlsVersion::none;
    }
}

std::string asn1_utf8(const ASN1_STRING* s) {
    unsigned char* out = nullptr;
    int n = ASN1_STRING_to_UTF8(&out, s);
    if (n < 0) return {};
    std::string text(reinterpret_cast<char*>(out), static_cast<std::size_t>(n));
    OPENSSL_free(out);
    return text;
}

// CN first, then DNS SANs, without duplicates.
std::vector<std::string> cert_names(X509* cert) {
    std::vector<std::string> names;
    auto add = [&](std::string n) {
        if (!n.empty() && std::find(names.begin(), names.end(), n) == names.end()) names.push_back(std::move(n));
    };
    X509_NAME* subject = X509_get_subject_name(cert);
    int pos = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
    if (pos >= 0) add(asn1_utf8(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, pos))));
    auto* sans = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
    for (int i = 0; sans && i < sk_GENERAL_NAME_num(sans); ++i) {
        const GENERAL_NAME* gn = sk_GENERAL_NAME_value(sans, i);
        if (gn->type == GEN_DNS) add(asn1_utf8(gn->d.dNSName));
    }
    GENERAL_NAMES_free(sans);
    return names;
}

// ex_data slot marking a session whose next ticket must fail (schedule_internal_error_alert).
int failing_ticket_index() {
    static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
    return index;
}

// Returning 0 makes OpenSSL abort the ticket with a fatal internal_error alert; 1 leaves the
// ticket as OpenSSL builds it (the callback adds no application data).
int generate_ticket(SSL* ssl, void*) { return SSL_get_ex_data(ssl, failing_ticket_index()) ? 0 : 1; }

}  // namespace

bool schedule_internal_error_alert(SSL* ssl) {
    if (!ssl || SSL_version(ssl) != TLS1_3_VERSION) return false;
    SSL_set_ex_data(ssl, failing_ticket_index(), reinterpret_cast<void*>(1));
    return SSL_new_session_ticket(ssl) == 1;
}

int openssl_version(core::TlsVersion v) {
    switch (v) {
    case core::TlsVersion::tls1_0: return TLS1_VERSION;
    case core::TlsVersion::tls1_1: return TLS1_1_VERSION;
    case core::TlsVersion::tls1_2: return TLS1_2_VERSION;
    case core::TlsVersion::tls1_3: return TLS1_3_VERSION;
    case core::TlsVersion::none: break;
    }
    throw std::invalid_argument("tls: version 'none' in a TLS range");
}

std::shared_ptr<ssl::context> make_server_context(const TlsSettings& settings, const CertFiles& cert,
                                                  const std::filesystem::path& ca_file) {
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
    SSL_CTX* h = ctx->native_handle();
    apply_protocol(h, settings.min, settings.max, settings.ciphers, settings.ciphersuites);
    apply_server_hello(h, settings);
    load_chain(h, cert);
    if (settings.request_client_cert) request_client_cert(h, ca_file, settings.client_ca_files);
    SSL_CTX_set_session_ticket_cb(h, generate_ticket, nullptr, nullptr);
    return ctx;
}

std::shared_ptr<ssl::context> make_client_context(const ClientTlsOptions& options) {
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
    SSL_CTX* h = ctx->native_handle();
    apply_protocol(h, options.min, options.max, options.ciphers, options.ciphersuites);
    if (options.client_cert) load_chain(h, *options.client_cert);
    if (!options.ca_file.empty()) {
        if (SSL_CTX_load_verify_locations(h, options.ca_file.c_str(), nullptr) != 1)
            fail("CA file " + options.ca_file.string());
        SSL_CTX_set_verify(h, SSL_VERIFY_PEER, nullptr);
        if (!options.verify_host.empty() &&
            X509_VERIFY_PARAM_set1_host(SSL_CTX_get0_param(h), options.verify_host.c_str(), 0) != 1)
            fail("verify host " + options.verify_host);
    } else {
        SSL_CTX_set_verify(h, SSL_VERIFY_NONE, nullptr);
    }
    return ctx;
}

void apply_client_host(SSL* ssl, const std::string& host, bool verify) {
    if (!host.empty() && SSL_set_tlsext_host_name(ssl, host.c_str()) != 1) fail("SNI " + host);
    if (verify && SSL_set1_host(ssl, host.c_str()) != 1) fail("verify host " + host);
}

core::TlsInfo describe_tls(SSL* ssl) {
    core::TlsInfo info;
    if (!ssl || !SSL_is_init_finished(ssl)) return info;
    info.version = version_of(ssl);
    if (const SSL_CIPHER* c = SSL_get_current_cipher(ssl)) info.cipher = SSL_CIPHER_get_name(c);
    if (X509* peer = SSL_get0_peer_certificate(ssl)) {
        info.client_cert_names = cert_names(peer);
        info.client_cert_verified = SSL_get_verify_result(ssl) == X509_V_OK;
    }
    return info;
}

std::string peer_verify_error(SSL* ssl) {
    if (!ssl || !SSL_get0_peer_certificate(ssl)) return {};
    long err = reinterpret_cast<std::intptr_t>(SSL_get_ex_data(ssl, verify_error_index()));
    if (err == X509_V_OK) err = SSL_get_verify_result(ssl);
    return err == X509_V_OK ? std::string{} : std::string(X509_verify_cert_error_string(err));
}

}  // namespace exosim::transport
