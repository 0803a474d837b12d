#include "reference/mime.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <array>

#include "core/ascii.hpp"
#include "reference/base64.hpp"
#include "reference/mime_encoding.hpp"

namespace exosim::client {
namespace {

bool has_line_break(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

void require_no_line_break(std::string_view field, std::string_view value) {
    if (has_line_break(value)) throw MimeError("CR or LF in the " + std::string(field) + " field");
}

void require_mailbox(std::string_view field, std::string_view address) {
    if (!valid_mailbox(address)) throw MimeError("invalid address in " + std::string(field) + ": " +
                                                 std::string(address.substr(0, 64)));
}

std::string random_hex(std::size_t octets) {
    std::vector<unsigned char> bytes(octets);
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) throw std::runtime_error("RAND_bytes failed");
    return core::ascii::hex(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

// RFC 5322 2.2.3: an address list folded after a comma before the line reaches 78 characters.
std::string address_field(std::string_view name, const std::vector<std::string>& addresses) {
    std::string out(name);
    out += ':';
    std::size_t column = out.size();
    for (std::size_t i = 0; i < addresses.size(); ++i) {
        require_mailbox(name, addresses[i]);
        std::string item = " " + addresses[i] + (i + 1 < addresses.size() ? "," : "");
        if (column + item.size() > 78 && i > 0) {
            out += "\r\n";
            column = 0;
        }
        out += item;
        column += item.size();
    }
    return out + "\r\n";
}

std::string text_part(std::string_view body) {
    std::string text = normalize_crlf(body);
    if (!text.empty() && !text.ends_with("\r\n")) text += "\r\n";
    if (fits_7bit(text)) return "Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\n" + text;
    // Long lines and 8-bit text are encoded, so no line on the wire exceeds 998 octets (CC-23).
    std::string qp = quoted_printable(text);
    if (!qp.ends_with("\r\n")) qp += "\r\n";
    return "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + qp;
}

std::string attachment_part(const Attachment& a) {
    require_no_line_break("attachment name", a.filename);
    if (a.filename.empty() || a.filename.find_first_of("\"\\/") != std::string::npos)
        throw MimeError("unusable attachment name: " + a.filename);
    return "Content-Type: " + content_type_for(a.filename) + "\r\n" +
           "Content-Disposition: attachment; " + filename_parameter(a.filename) + "\r\n" +
           "Content-Transfer-Encoding: base64\r\n\r\n" + base64_encode_lines(a.content);
}

std::string headers(const MailContent& mail) {
    require_mailbox("From", mail.from);
    require_no_line_break("Subject", mail.subject);
    require_no_line_break("Message-ID", mail.message_id);
    std::string out = "From: " + mail.from + "\r\n";
    if (!mail.to.empty()) out += address_field("To", mail.to);
    if (!mail.cc.empty()) out += address_field("Cc", mail.cc);
    out += "Subject: " + encode_header_text(mail.subject) + "\r\n";
    out += "Date: " + rfc5322_date(mail.date) + "\r\n";
    out += "Message-ID: " + mail.message_id + "\r\n";
    out += "MIME-Version: 1.0\r\n";
    return out;
}

}  // namespace

bool valid_mailbox(std::string_view address) {
    std::size_t at = address.rfind('@');
    if (address.size() > 254 || at == std::string_view::npos || at == 0 || at + 1 == address.size()) return false;
    return std::none_of(address.begin(), address.end(), [](char ch) {
        unsigned char c = static_cast<unsigned char>(ch);
        return c <= 32 || c >= 127 || std::string_view("<>()[],;:\\\"").find(ch) != std::string_view::npos;
    });
}

std::string content_type_for(std::string_view filename) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 8> types{{
        {"pdf", "application/pdf"}, {"jpg", "image/jpeg"}, {"jpeg", "image/jpeg"}, {"png", "image/png"},
        {"tif", "image/tiff"}, {"tiff", "image/tiff"}, {"txt", "text/plain"}, {"xml", "application/xml"},
    }};
    std::size_t dot = filename.rfind('.');
    if (dot == std::string_view::npos) return "application/octet-stream";
    const std::string ext = core::ascii::lower(filename.substr(dot + 1));
    for (const auto& [e, type] : types) {
        if (e == ext) return std::string(type);
    }
    return "application/octet-stream";
}

std::string new_message_id(std::string_view from) {
    std::size_t at = from.rfind('@');
    std::string domain = at == std::string_view::npos ? "localhost" : std::string(from.substr(at + 1));
    return "<" + random_hex(16) + "@" + domain + ">";
}

std::string new_boundary() { return "=_exosim_" + random_hex(12); }

std::string build_message(const MailContent& mail) {
    std::string out = headers(mail);
    if (mail.attachments.empty()) return out + text_part(mail.body);
    // RFC 2046 5.1.1: the boundary must not occur in any part; a random one of 96 bits will not, and
    // base64 or quoted-printable bodies cannot contain "=_" at a line start.
    out += "Content-Type: multipart/mixed; boundary=\"" + mail.boundary + "\"\r\n\r\n";
    out += "This is a multi-part message in MIME format.\r\n";
    out += "\r\n--" + mail.boundary + "\r\n" + text_part(mail.body);
    for (const Attachment& a : mail.attachments) out += "\r\n--" + mail.boundary + "\r\n" + attachment_part(a);
    out += "\r\n--" + mail.boundary + "--\r\n";
    return out;
}

}  // namespace exosim::client
