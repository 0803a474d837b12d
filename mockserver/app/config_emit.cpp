// AppConfig back to YAML, in the schema load_config_text reads (for --print-config).
#include <cmath>
#include <sstream>

#include "app/config_exchange.hpp"
#include "app/config_yaml.hpp"
#include "transport/server.hpp"

namespace exosim::app {

std::string_view capture_name(store::CaptureMode mode) {
    switch (mode) {
    case store::CaptureMode::disk: return "disk";
    case store::CaptureMode::memory: return "memory";
    case store::CaptureMode::off: return "off";
    }
    return "?";
}

std::string_view tls_version_text(core::TlsVersion v) {
    switch (v) {
    case core::TlsVersion::tls1_0: return "1.0";
    case core::TlsVersion::tls1_1: return "1.1";
    case core::TlsVersion::tls1_2: return "1.2";
    case core::TlsVersion::tls1_3: return "1.3";
    case core::TlsVersion::none: break;
    }
    return "none";
}

namespace {

std::string seconds_text(std::chrono::milliseconds ms) {
    std::ostringstream out;
    out << static_cast<double>(ms.count()) / 1000.0;
    return out.str();
}

void emit_listener(YAML::Emitter& out, const transport::ListenerConfig& l) {
    out << YAML::BeginMap;
    out << YAML::Key << "name" << YAML::Value << l.name;
    out << YAML::Key << "profile" << YAML::Value << l.profile;
    out << YAML::Key << "address" << YAML::Value << l.address;
    out << YAML::Key << "port" << YAML::Value << l.port;
    out << YAML::Key << "hostname" << YAML::Value << l.hostname;
    out << YAML::Key << "behaviour" << YAML::Value << std::string(transport::behaviour_name(l.behaviour));
    out << YAML::Key << "tls" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "mode" << YAML::Value << std::string(transport::tls_mode_name(l.tls.mode));
    out << YAML::Key << "min" << YAML::Value << YAML::DoubleQuoted << std::string(tls_version_text(l.tls.min));
    out << YAML::Key << "max" << YAML::Value << YAML::DoubleQuoted << std::string(tls_version_text(l.tls.max));
    if (!l.tls.ciphers.empty()) out << YAML::Key << "ciphers" << YAML::Value << l.tls.ciphers;
    if (!l.tls.ciphersuites.empty()) out << YAML::Key << "ciphersuites" << YAML::Value << l.tls.ciphersuites;
    out << YAML::Key << "certificate" << YAML::Value << l.tls.certificate;
    if (!l.tls.cert_file.empty()) out << YAML::Key << "cert_file" << YAML::Value << l.tls.cert_file;
    if (!l.tls.key_file.empty()) out << YAML::Key << "key_file" << YAML::Value << l.tls.key_file;
    out << YAML::Key << "request_client_cert" << YAML::Value << l.tls.request_client_cert;
    out << YAML::EndMap;
    out << YAML::Key << "timeouts" << YAML::Value << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "command" << YAML::Value << seconds_text(l.timeouts.command);
    out << YAML::Key << "data" << YAML::Value << seconds_text(l.timeouts.data_block);
    out << YAML::Key << "tls" << YAML::Value << seconds_text(l.timeouts.tls_handshake);
    out << YAML::Key << "min_data_rate" << YAML::Value << l.timeouts.min_data_rate;
    out << YAML::Key << "blackhole" << YAML::Value << seconds_text(l.timeouts.blackhole);
    out << YAML::EndMap;
    out << YAML::Key << "limits" << YAML::Value << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "max_connections" << YAML::Value << l.limits.max_connections;
    out << YAML::Key << "max_per_client" << YAML::Value << l.limits.max_connections_per_client;
    out << YAML::EndMap;
    out << YAML::EndMap;
}

}  // namespace

std::string to_yaml(const AppConfig& c) {
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "data_dir" << YAML::Value << c.data_dir.string();
    out << YAML::Key << "capture" << YAML::Value << std::string(capture_name(c.capture));
    out << YAML::Key << "threads" << YAML::Value << c.threads;
    out << YAML::Key << "bare_line_endings" << YAML::Value
        << (c.bare_line_endings == core::BareLineEnding::reject ? "reject" : "normalize");
    out << YAML::Key << "pregreet" << YAML::Value << (c.pregreet == PregreetMode::reject ? "reject" : "log");
    out << YAML::Key << "control" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "enabled"
        << YAML::Value << c.control.enabled << YAML::Key << "address" << YAML::Value << c.control.address
        << YAML::Key << "port" << YAML::Value << c.control.port << YAML::EndMap;
    out << YAML::Key << "identity" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "enabled"
        << YAML::Value << c.identity.enabled << YAML::Key << "address" << YAML::Value << c.identity.address
        << YAML::Key << "port" << YAML::Value << c.identity.port << YAML::Key << "verification_uri" << YAML::Value
        << c.identity.verification_uri << YAML::Key << "mfa_code" << YAML::Value << c.identity.mfa_code;
    if (!c.identity.auto_approve_user.empty())
        out << YAML::Key << "auto_approve" << YAML::Value << YAML::BeginMap << YAML::Key << "user" << YAML::Value
            << c.identity.auto_approve_user << YAML::Key << "delay" << YAML::Value
            << c.identity.auto_approve_delay.count() << YAML::EndMap;
    out << YAML::EndMap;
    out << YAML::Key << "listeners" << YAML::Value << YAML::BeginSeq;
    for (const auto& l : c.listeners) emit_listener(out, l);
    out << YAML::EndSeq;
    out << YAML::Key << "accounts" << YAML::Value << YAML::BeginSeq;
    for (const auto& a : c.accounts)
        out << YAML::Flow << YAML::BeginMap << YAML::Key << "user" << YAML::Value << a.user << YAML::Key << "password"
            << YAML::Value << a.password << YAML::EndMap;
    out << YAML::EndSeq;
    out << YAML::Key << "default_seen_address" << YAML::Value << c.address_map.default_seen();
    out << YAML::Key << "address_map" << YAML::Value << YAML::BeginSeq;
    for (const auto& e : c.address_map.entries())
        out << YAML::Flow << YAML::BeginMap << YAML::Key << "from" << YAML::Value << e.from << YAML::Key << "to"
            << YAML::Value << e.to << YAML::EndMap;
    out << YAML::EndSeq;
    emit_exchange_sections(out, c);
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

}  // namespace exosim::app
