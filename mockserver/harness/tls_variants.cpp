#include "harness/tls_variants.hpp"

#include <stdexcept>

#include <boost/asio/ssl/context.hpp>

#include "transport/certs.hpp"
#include "transport/tls_context.hpp"

namespace exosim::harness {

std::optional<core::TlsVersion> parse_tls_version(std::string_view text) {
    for (std::string_view prefix : {"TLSv", "tlsv", "TLS", "tls"})
        if (text.substr(0, prefix.size()) == prefix) {
            text.remove_prefix(prefix.size());
            break;
        }
    if (text == "1.0" || text == "1") return core::TlsVersion::tls1_0;
    if (text == "1.1") return core::TlsVersion::tls1_1;
    if (text == "1.2") return core::TlsVersion::tls1_2;
    if (text == "1.3") return core::TlsVersion::tls1_3;
    return std::nullopt;
}

bool is_default_tls(const scenario::TlsScript& script) {
    return !script.min && !script.max && !script.ciphers && script.certificate == scenario::CertificateKind::valid;
}

transport::TlsSettings scripted_settings(const transport::TlsSettings& listener, const scenario::TlsScript& script) {
    transport::TlsSettings settings = listener;
    auto version = [](const std::optional<std::string>& text, core::TlsVersion fallback, const char* key) {
        if (!text) return fallback;
        auto v = parse_tls_version(*text);
        if (!v) throw std::invalid_argument(std::string("server.tls.") + key + ": unknown TLS version '" + *text + "'");
        return *v;
    };
    settings.min = version(script.min, listener.min, "min");
    settings.max = version(script.max, listener.max, "max");
    // A scripted range replaces the listener's entirely: "max: 1.1" on a 1.2+ listener means
    // "only 1.0/1.1" (CC-09), so widen the other end when only one is given.
    if (script.max && !script.min && settings.min > settings.max) settings.min = core::TlsVersion::tls1_0;
    if (script.min && !script.max && settings.max < settings.min) settings.max = core::TlsVersion::tls1_3;
    if (settings.min > settings.max) throw std::invalid_argument("server.tls: min is above max");
    if (script.ciphers) {
        settings.ciphers = *script.ciphers;
        settings.legacy_ciphers.clear();  // a scripted list is served on every version
    }
    return settings;
}

namespace {

transport::CertVariant variant_of(scenario::CertificateKind kind) {
    transport::CertVariant v = transport::CertVariant::valid;
    // Both enums spell the same names: go through the text so a new kind cannot be mismatched.
    if (!transport::parse_cert_variant(scenario::certificate_kind_name(kind), v))
        throw std::invalid_argument("server.tls.certificate: no such certificate variant '" +
                                    std::string(scenario::certificate_kind_name(kind)) + "'");
    return v;
}

}  // namespace

std::shared_ptr<boost::asio::ssl::context> TlsVariants::context_for(const transport::ListenerConfig& listener,
                                                                    const scenario::TlsScript& script) {
    if (is_default_tls(script)) return nullptr;
    if (listener.tls.mode == transport::TlsMode::none)
        throw std::invalid_argument("server.tls: listener '" + listener.name + "' has no TLS");
    transport::TlsSettings settings = scripted_settings(listener.tls, script);
    transport::CertVariant variant = variant_of(script.certificate);
    std::string key = listener.name + "|" + std::to_string(static_cast<int>(settings.min)) + "|" +
                      std::to_string(static_cast<int>(settings.max)) + "|" + settings.ciphers + "|" +
                      std::string(transport::cert_variant_name(variant));
    std::lock_guard lock(mutex_);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;

    transport::CertFiles cert;
    std::filesystem::path ca_file;
    if (variant == transport::CertVariant::valid && !listener.tls.cert_file.empty()) {
        cert = {listener.tls.cert_file, listener.tls.key_file};
    } else {
        if (!ca_)
            throw std::runtime_error("server.tls.certificate: '" + std::string(transport::cert_variant_name(variant)) +
                                     "' needs the local CA, which this server does not have");
        cert = ca_->server_cert(listener.tls.certificate, variant);
    }
    if (ca_) ca_file = ca_->ca_file();
    auto context = transport::make_server_context(settings, cert, ca_file);
    cache_.emplace(std::move(key), context);
    return context;
}

}  // namespace exosim::harness
