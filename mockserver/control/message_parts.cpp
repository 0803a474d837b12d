#include "control/message_parts.hpp"

#include <algorithm>
#include <cctype>

#include <openssl/evp.h>

#include "core/ascii.hpp"
#include "scenario/mime_entity.hpp"

namespace exosim::control {

namespace {

void walk(std::string_view entity, int depth, MessageParts& out) {
    const std::size_t split = scenario::header_end(entity);
    const auto headers = scenario::header_fields(entity.substr(0, split));
    const std::string_view body = entity.substr(split);
    const auto* ct = scenario::find_header(headers, "content-type");
    std::string type = ct ? scenario::ascii_lower(scenario::trim_blanks(ct->value.substr(0, ct->value.find(';')))) : "text/plain";
    if (type.empty()) type = "text/plain";
    if (type.starts_with("multipart/")) {
        const auto boundary = scenario::header_parameter(ct->value, "boundary");
        if (boundary && !boundary->empty() && depth < max_mime_depth)
            for (std::string_view part : scenario::multipart_parts(body, *boundary)) walk(part, depth + 1, out);
        return;
    }
    MessagePart part;
    part.content_type = type;
    const auto* cd = scenario::find_header(headers, "content-disposition");
    if (cd) {
        part.disposition = scenario::ascii_lower(scenario::trim_blanks(cd->value.substr(0, cd->value.find(';'))));
        part.filename = scenario::header_parameter(cd->value, "filename");
    }
    if (!part.filename && ct) part.filename = scenario::header_parameter(ct->value, "name");
    const auto* cte = scenario::find_header(headers, "content-transfer-encoding");
    part.transfer_encoding = cte ? scenario::ascii_lower(scenario::trim_blanks(cte->value)) : "";
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
    // Broken base64 is shown as sent: the API reports what arrived.
    return scenario::decode_transfer_encoding(encoding, body).value_or(std::string(body));
}

std::string sha256_hex(std::string_view bytes) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_sha256(), nullptr);
    return core::ascii::hex(std::string_view(reinterpret_cast<const char*>(digest), len));
}

MessageParts parse_message_parts(std::string_view message) {
    MessageParts out;
    out.headers = scenario::header_fields(message);
    walk(message, 0, out);
    return out;
}

}  // namespace exosim::control
