#include "control/message_parts.hpp"

#include <algorithm>
#include <cctype>

#include <openssl/evp.h>

#include "core/base64.hpp"

namespace exosim::control {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

const scenario::HeaderField* field(const std::vector<scenario::HeaderField>& h, std::string_view name) {
    auto it = std::find_if(h.begin(), h.end(), [&](const auto& f) { return lower(f.name) == name; });
    return it == h.end() ? nullptr : &*it;
}

// RFC 2045 5.1: `key=token` or `key="quoted"`, key case-insensitive.
std::optional<std::string> parameter(std::string_view value, std::string_view key) {
    const std::string l = lower(value);
    for (std::size_t at = l.find(key); at != std::string::npos; at = l.find(key, at + 1)) {
        const bool boundary = at == 0 || l[at - 1] == ';' || l[at - 1] == ' ' || l[at - 1] == '\t';
        std::size_t i = at + key.size();
        while (i < l.size() && l[i] == ' ') ++i;
        if (!boundary || i >= l.size() || l[i] != '=') continue;
        ++i;
        while (i < l.size() && l[i] == ' ') ++i;
        if (i < value.size() && value[i] == '"') {
            const std::size_t end = value.find('"', i + 1);
            return std::string(value.substr(i + 1, end == std::string_view::npos ? end : end - i - 1));
        }
        std::size_t end = i;
        while (end < value.size() && value[end] != ';' && value[end] != ' ' && value[end] != '\t') ++end;
        return std::string(value.substr(i, end - i));
    }
    return std::nullopt;
}

// Offset of the body: after the first empty line (RFC 5322 2.1), or the end.
std::size_t header_end(std::string_view m) {
    for (std::size_t pos = 0; pos < m.size();) {
        const std::size_t lf = m.find('\n', pos);
        if (lf == std::string_view::npos) return m.size();
        if (trim(m.substr(pos, lf - pos)).empty()) return lf + 1;
        pos = lf + 1;
    }
    return m.size();
}

int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// The body parts between RFC 2046 5.1.1 boundary delimiters; the CRLF before a delimiter
// belongs to it.
std::vector<std::string_view> split_multipart(std::string_view body, const std::string& boundary) {
    std::vector<std::string_view> out;
    const std::string delim = "--" + boundary;
    std::size_t at = body.starts_with(delim) ? 0 : body.find("\n" + delim);
    while (at != std::string_view::npos) {
        const std::size_t line_start = at == 0 ? 0 : at + 1;
        if (body.substr(line_start + delim.size()).starts_with("--")) break;  // close delimiter
        const std::size_t start = body.find('\n', line_start);
        if (start == std::string_view::npos) break;
        const std::size_t next = body.find("\n" + delim, start);
        std::size_t end = next == std::string_view::npos ? body.size() : next;
        if (end > start + 1 && body[end - 1] == '\r') --end;
        out.push_back(end > start ? body.substr(start + 1, end - start - 1) : std::string_view{});
        at = next;
    }
    return out;
}

void walk(std::string_view entity, int depth, MessageParts& out) {
    const std::size_t split = header_end(entity);
    const auto headers = scenario::header_fields(entity.substr(0, split));
    const std::string_view body = entity.substr(split);
    const auto* ct = field(headers, "content-type");
    std::string type = ct ? lower(trim(ct->value.substr(0, ct->value.find(';')))) : "text/plain";
    if (type.empty()) type = "text/plain";
    if (type.starts_with("multipart/")) {
        const auto boundary = parameter(ct->value, "boundary");
        if (boundary && !boundary->empty() && depth < max_mime_depth)
            for (std::string_view part : split_multipart(body, *boundary)) walk(part, depth + 1, out);
        return;
    }
    MessagePart part;
    part.content_type = type;
    const auto* cd = field(headers, "content-disposition");
    if (cd) {
        part.disposition = lower(trim(cd->value.substr(0, cd->value.find(';'))));
        part.filename = parameter(cd->value, "filename");
    }
    if (!part.filename && ct) part.filename = parameter(ct->value, "name");
    const auto* cte = field(headers, "content-transfer-encoding");
    part.transfer_encoding = cte ? lower(trim(cte->value)) : "";
    const std::string decoded = decode_transfer_encoding(part.transfer_encoding, body);
    part.size = decoded.size();
    part.sha256 = sha256_hex(decoded);
    if (!part.attachment()) {
        if (type == "text/plain" && !out.text) out.text = decoded;
        else if (type == "text/html" && !out.html) out.html = decoded;
    }
    out.parts.push_back(std::move(part));
}

}  // namespace

std::string decode_transfer_encoding(std::string_view encoding, std::string_view body) {
    if (encoding == "base64") {
        std::string compact;
        for (char ch : body)
            if (!std::isspace(static_cast<unsigned char>(ch))) compact += ch;
        auto decoded = core::base64_decode(compact);
        return decoded ? *decoded : std::string(body);
    }
    if (encoding != "quoted-printable") return std::string(body);
    std::string out;
    for (std::size_t i = 0; i < body.size(); ++i) {
        if (body[i] != '=') { out += body[i]; continue; }
        if (i + 1 < body.size() && (body[i + 1] == '\r' || body[i + 1] == '\n')) {  // soft line break
            i += (body[i + 1] == '\r' && i + 2 < body.size() && body[i + 2] == '\n') ? 2 : 1;
            continue;
        }
        if (i + 2 < body.size() && hex(body[i + 1]) >= 0 && hex(body[i + 2]) >= 0) {
            out += static_cast<char>(hex(body[i + 1]) * 16 + hex(body[i + 2]));
            i += 2;
        } else {
            out += '=';
        }
    }
    return out;
}

std::string sha256_hex(std::string_view bytes) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_sha256(), nullptr);
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < len; ++i) {
        out += digits[digest[i] >> 4];
        out += digits[digest[i] & 15];
    }
    return out;
}

MessageParts parse_message_parts(std::string_view message) {
    MessageParts out;
    out.headers = scenario::header_fields(message);
    walk(message, 0, out);
    return out;
}

}  // namespace exosim::control
