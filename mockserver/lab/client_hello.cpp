#include "lab/client_hello.hpp"

#include <algorithm>
#include <cstdio>

#include "core/ascii.hpp"

namespace exosim::lab {

namespace {

// A bounds-checked reader: every read past the end sets `bad` and yields zeros.
struct Reader {
    std::string_view data;
    bool bad = false;

    std::size_t take_len(std::size_t octets) {
        if (data.size() < octets) {
            bad = true;
            data = {};
            return 0;
        }
        std::size_t v = 0;
        for (std::size_t i = 0; i < octets; ++i) v = (v << 8) | static_cast<unsigned char>(data[i]);
        data.remove_prefix(octets);
        return v;
    }
    std::uint16_t u16() { return static_cast<std::uint16_t>(take_len(2)); }
    std::uint8_t u8() { return static_cast<std::uint8_t>(take_len(1)); }
    Reader sub(std::size_t n) {
        if (data.size() < n) {
            bad = true;
            data = {};
            return Reader{{}, true};
        }
        Reader r{data.substr(0, n)};
        data.remove_prefix(n);
        return r;
    }
    // A vector with an `octets`-long length prefix.
    Reader vec(std::size_t octets) { return sub(take_len(octets)); }
};

std::vector<std::uint16_t> u16_list(Reader r, bool& bad) {
    std::vector<std::uint16_t> out;
    while (!r.data.empty() && !r.bad) out.push_back(r.u16());
    bad = bad || r.bad;
    return out;
}

void parse_extension(std::uint16_t type, Reader body, ClientHello& h, bool& bad) {
    switch (type) {
    case 0: {  // RFC 6066 3
        Reader list = body.vec(2);
        while (!list.data.empty() && !list.bad) {
            std::uint8_t kind = list.u8();
            Reader name = list.vec(2);
            if (kind == 0 && h.sni.empty()) h.sni = std::string(name.data);
        }
        bad = bad || list.bad || body.bad;
        break;
    }
    case 16: {  // RFC 7301 3.1
        Reader list = body.vec(2);
        while (!list.data.empty() && !list.bad) h.alpn.emplace_back(list.vec(1).data);
        bad = bad || list.bad || body.bad;
        break;
    }
    case 10: h.groups = u16_list(body.vec(2), bad); break;
    case 13: h.signature_algorithms = u16_list(body.vec(2), bad); break;
    case 43: h.supported_versions = u16_list(body.vec(1), bad); break;
    case 11: {
        Reader list = body.vec(1);
        h.point_formats.assign(list.data.begin(), list.data.end());
        bad = bad || list.bad;
        break;
    }
    default: break;
    }
}

std::string hex4(std::uint16_t v) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04x", v);
    return buf;
}

template <class T>
std::string joined(const std::vector<T>& values, char sep, bool skip_grease, bool hex) {
    std::string out;
    for (T v : values) {
        if (skip_grease && is_grease(static_cast<std::uint16_t>(v))) continue;
        if (!out.empty()) out.push_back(sep);
        out += hex ? hex4(static_cast<std::uint16_t>(v)) : std::to_string(v);
    }
    return out;
}

std::string two_digits(std::size_t n) {
    n = std::min<std::size_t>(n, 99);
    return {static_cast<char>('0' + n / 10), static_cast<char>('0' + n % 10)};
}

bool alnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::string alpn_chars(const ClientHello& h) {
    if (h.alpn.empty() || h.alpn.front().empty()) return "00";
    const std::string& v = h.alpn.front();
    if (alnum(v.front()) && alnum(v.back())) return {v.front(), v.back()};
    // JA4: the first hex digit of the first octet and the last hex digit of the last one.
    const std::string first = core::ascii::hex(v.substr(0, 1)), last = core::ascii::hex(v.substr(v.size() - 1));
    return {first[0], last[1]};
}

}  // namespace

bool is_grease(std::uint16_t v) { return (v & 0x0F0F) == 0x0A0A && (v >> 8) == (v & 0xFF); }

std::optional<ClientHello> parse_client_hello(std::string_view message) {
    Reader m{message};
    if (m.u8() != 1) return std::nullopt;
    Reader body = m.vec(3);
    ClientHello h;
    h.legacy_version = body.u16();
    body.sub(32);  // random
    body.vec(1);   // legacy_session_id
    bool bad = false;
    h.ciphers = u16_list(body.vec(2), bad);
    body.vec(1);  // legacy_compression_methods
    if (!body.data.empty()) {  // extensions are optional before TLS 1.3 (RFC 5246 7.4.1.2)
        Reader exts = body.vec(2);
        while (!exts.data.empty() && !exts.bad) {
            std::uint16_t type = exts.u16();
            Reader ext = exts.vec(2);
            if (exts.bad) break;
            h.extensions.push_back(type);
            parse_extension(type, ext, h, bad);
        }
        bad = bad || exts.bad;
    }
    if (bad || m.bad || body.bad) return std::nullopt;
    return h;
}

std::uint16_t highest_version(const ClientHello& h) {
    std::uint16_t best = 0;
    for (std::uint16_t v : h.supported_versions)
        if (!is_grease(v)) best = std::max(best, v);
    return best ? best : h.legacy_version;
}

std::string version_name(std::uint16_t v) {
    switch (v) {
    case 0x0300: return "SSLv3";
    case 0x0301: return "TLSv1";
    case 0x0302: return "TLSv1.1";
    case 0x0303: return "TLSv1.2";
    case 0x0304: return "TLSv1.3";
    default: return "0x" + hex4(v);
    }
}

std::string ja3_text(const ClientHello& h) {
    return std::to_string(h.legacy_version) + "," + joined(h.ciphers, '-', true, false) + "," +
           joined(h.extensions, '-', true, false) + "," + joined(h.groups, '-', true, false) + "," +
           joined(h.point_formats, '-', false, false);
}

Ja4Parts ja4_parts(const ClientHello& h) {
    std::string version;
    switch (highest_version(h)) {
    case 0x0304: version = "13"; break;
    case 0x0303: version = "12"; break;
    case 0x0302: version = "11"; break;
    case 0x0301: version = "10"; break;
    case 0x0300: version = "s3"; break;
    default: version = "00"; break;
    }
    std::vector<std::uint16_t> ciphers, exts;
    for (auto c : h.ciphers)
        if (!is_grease(c)) ciphers.push_back(c);
    std::size_t ext_count = 0;
    for (auto e : h.extensions) {
        if (is_grease(e)) continue;
        ++ext_count;
        if (e != 0 && e != 16) exts.push_back(e);
    }
    bool has_sni = std::find(h.extensions.begin(), h.extensions.end(), 0) != h.extensions.end();
    Ja4Parts p;
    p.a = "t" + version + (has_sni ? "d" : "i") + two_digits(ciphers.size()) + two_digits(ext_count) + alpn_chars(h);
    std::sort(ciphers.begin(), ciphers.end());
    std::sort(exts.begin(), exts.end());
    p.ciphers = joined(ciphers, ',', false, true);
    p.extensions = joined(exts, ',', false, true);
    std::string sigs = joined(h.signature_algorithms, ',', false, true);
    if (!sigs.empty()) p.extensions += "_" + sigs;
    return p;
}

}  // namespace exosim::lab
