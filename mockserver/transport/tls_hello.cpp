#include "transport/tls_hello.hpp"

#include <algorithm>
#include <stdexcept>

namespace exosim::transport {

namespace {

struct HelloConfig {
    std::string ciphers;
    std::string legacy_ciphers;
    int max_version = 0;
};

void free_config(void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) { delete static_cast<HelloConfig*>(ptr); }
void free_evidence(void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) { delete static_cast<HandshakeEvidence*>(ptr); }

int config_index() {
    static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, free_config);
    return index;
}

int evidence_index() {
    static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, free_evidence);
    return index;
}

HandshakeEvidence& evidence_of(SSL* ssl) {
    auto* e = static_cast<HandshakeEvidence*>(SSL_get_ex_data(ssl, evidence_index()));
    if (!e) {
        e = new HandshakeEvidence;
        SSL_set_ex_data(ssl, evidence_index(), e);
    }
    return *e;
}

// RFC 8446 4.2.1 supported_versions, else the legacy version: the most the client offers.
int client_max_version(SSL* ssl) {
    int best = static_cast<int>(SSL_client_hello_get0_legacy_version(ssl));
    const unsigned char* data = nullptr;
    std::size_t len = 0;
    if (SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_supported_versions, &data, &len) == 1 && len >= 1) {
        std::size_t list = std::min<std::size_t>(data[0], len - 1);
        for (std::size_t i = 1; i + 1 <= list; i += 2) {
            int v = (data[i] << 8) | data[i + 1];
            bool grease = (v & 0x0F0F) == 0x0A0A;  // RFC 8701
            if (!grease) best = std::max(best, v);
        }
    }
    return best;
}

int on_client_hello(SSL* ssl, int* alert, void* arg) {
    const auto* config = static_cast<const HelloConfig*>(arg);
    int version = std::min(client_max_version(ssl), config->max_version);
    const std::string& list = version < TLS1_2_VERSION ? config->legacy_ciphers : config->ciphers;
    if (SSL_set_cipher_list(ssl, list.c_str()) != 1) {
        *alert = SSL_AD_INTERNAL_ERROR;
        return SSL_CLIENT_HELLO_ERROR;
    }
    return SSL_CLIENT_HELLO_SUCCESS;
}

void on_message(int write_p, int, int content_type, const void* buf, std::size_t len, SSL* ssl, void*) {
    if (write_p || content_type != SSL3_RT_HANDSHAKE || len == 0) return;
    const auto* bytes = static_cast<const char*>(buf);
    if (bytes[0] != SSL3_MT_CLIENT_HELLO) return;
    HandshakeEvidence& e = evidence_of(ssl);
    if (e.client_hello.empty()) e.client_hello.assign(bytes, len);  // not the one after a HelloRetryRequest
}

void on_keylog(const SSL* ssl, const char* line) {
    HandshakeEvidence& e = evidence_of(const_cast<SSL*>(ssl));
    e.keylog += line;
    e.keylog += '\n';
}

}  // namespace

void install_hello_callbacks(SSL_CTX* ctx, const TlsSettings& settings, const std::string& ciphers,
                             const std::string& legacy_ciphers) {
    if (!legacy_ciphers.empty()) {
        auto* config = new HelloConfig{ciphers.empty() ? "DEFAULT" : ciphers, legacy_ciphers,
                                       static_cast<int>(SSL_CTX_get_max_proto_version(ctx))};
        if (config->max_version == 0) config->max_version = TLS1_3_VERSION;  // no maximum set
        if (SSL_CTX_set_ex_data(ctx, config_index(), config) != 1) {
            delete config;
            throw std::runtime_error("tls: cannot attach the per-version cipher lists");
        }
        SSL_CTX_set_client_hello_cb(ctx, on_client_hello, config);  // the context owns config
    }
    if (settings.evidence) {
        SSL_CTX_set_msg_callback(ctx, on_message);
        SSL_CTX_set_keylog_callback(ctx, on_keylog);
    }
}

const HandshakeEvidence* handshake_evidence(SSL* ssl) {
    return ssl ? static_cast<const HandshakeEvidence*>(SSL_get_ex_data(ssl, evidence_index())) : nullptr;
}

}  // namespace exosim::transport
