#include "transport/evidence.hpp"

#include <cstdio>
#include <fstream>
#include <system_error>

#include <openssl/evp.h>

#include "core/ascii.hpp"

#include "transport/tls_hello.hpp"

namespace exosim::transport {

namespace {

std::string hex(const unsigned char* p, std::size_t n) {
    return core::ascii::hex(std::string_view(reinterpret_cast<const char*>(p), n));
}

std::string digest_hex(const EVP_MD* md, std::string_view text) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_Digest(text.data(), text.size(), out, &n, md, nullptr) != 1) return {};
    return hex(out, n);
}

// JSON string with everything outside printable ASCII escaped (SNI and ALPN are client bytes).
std::string json_string(std::string_view s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') {
            out.push_back('\\');
            out.push_back(static_cast<char>(c));
        } else if (c < 0x20 || c >= 0x7F) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out.push_back(static_cast<char>(c));
        }
    }
    return out + "\"";
}

template <class Range, class Fn>
std::string array(const Range& values, Fn item) {
    std::string out = "[";
    for (const auto& v : values) out += (out.size() > 1 ? "," : "") + item(v);
    return out + "]";
}

std::string cipher_name(SSL* ssl, std::uint16_t id) {
    const unsigned char bytes[2] = {static_cast<unsigned char>(id >> 8), static_cast<unsigned char>(id & 0xFF)};
    const SSL_CIPHER* c = ssl ? SSL_CIPHER_find(ssl, bytes) : nullptr;
    const char* name = c ? SSL_CIPHER_standard_name(c) : nullptr;
    if (name) return name;
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%04x", id);
    return buf;
}

}  // namespace

std::string ja3_fingerprint(const lab::ClientHello& hello) { return digest_hex(EVP_md5(), lab::ja3_text(hello)); }

std::string ja4_fingerprint(const lab::ClientHello& hello) {
    lab::Ja4Parts p = lab::ja4_parts(hello);
    auto part = [](const std::string& text) {
        return text.empty() ? std::string(12, '0') : digest_hex(EVP_sha256(), text).substr(0, 12);
    };
    return p.a + "_" + part(p.ciphers) + "_" + part(p.extensions);
}

std::string client_hello_json(std::string_view raw, SSL* ssl) {
    auto hello = lab::parse_client_hello(raw);
    if (!hello) return {};
    std::vector<std::uint16_t> versions = hello->supported_versions;
    if (versions.empty()) versions.push_back(hello->legacy_version);
    std::erase_if(versions, lab::is_grease);
    auto num = [](auto v) { return std::to_string(v); };
    return "{\"versions\":" + array(versions, [](std::uint16_t v) { return json_string(lab::version_name(v)); }) +
           ",\"highest_version\":" + json_string(lab::version_name(lab::highest_version(*hello))) +
           ",\"ciphers\":" + array(hello->ciphers, [&](std::uint16_t c) { return json_string(cipher_name(ssl, c)); }) +
           ",\"extensions\":" + array(hello->extensions, num) + ",\"sni\":" + json_string(hello->sni) +
           ",\"alpn\":" + array(hello->alpn, [](const std::string& a) { return json_string(a); }) +
           ",\"groups\":" + array(hello->groups, num) + ",\"signature_algorithms\":" +
           array(hello->signature_algorithms, num) + ",\"ja3\":" + json_string(ja3_fingerprint(*hello)) +
           ",\"ja3_text\":" + json_string(lab::ja3_text(*hello)) + ",\"ja4\":" + json_string(ja4_fingerprint(*hello)) + "}";
}

std::optional<std::string> save_evidence(const std::filesystem::path& dir, const std::string& session_id, SSL* ssl) {
    const HandshakeEvidence* e = handshake_evidence(ssl);
    if (!e) return std::nullopt;
    std::string summary = client_hello_json(e->client_hello, ssl);
    if (summary.empty()) summary = "{}";
    if (e->keylog.empty()) return summary;
    std::filesystem::path file = dir / (session_id + ".keylog");
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << e->keylog;
    out.flush();
    std::string note = out ? ",\"keylog\":" + json_string(file.string()) : ",\"keylog_error\":" + json_string("cannot write " + file.string());
    summary.insert(summary.size() - 1, summary.size() > 2 ? note : note.substr(1));
    return summary;
}

}  // namespace exosim::transport
