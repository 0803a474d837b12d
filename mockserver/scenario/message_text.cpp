#include "scenario/message_text.hpp"

#include <algorithm>
#include <cctype>


namespace exosim::scenario {

namespace {

// Nested multiparts deeper than this are not searched (a hostile message is not a reason to
// recurse without bound).
inline constexpr int max_mime_depth = 8;

// The MIME entity `m` (headers + body); recurses into multiparts.
std::optional<std::string> search(std::string_view m, std::string_view filename, int depth) {
    const std::size_t split = header_end(m);
    const std::vector<HeaderField> h = header_fields(m.substr(0, split));
    const std::string_view body = m.substr(split);
    const HeaderField* ct = find_header(h, "content-type");
    const HeaderField* cd = find_header(h, "content-disposition");
    const auto name = cd ? header_parameter(cd->value, "filename") : std::nullopt;
    const auto alt = ct ? header_parameter(ct->value, "name") : std::nullopt;
    if ((name && *name == filename) || (alt && *alt == filename)) {
        // The CRLF before the next boundary belongs to the boundary (RFC 2046 5.1.1).
        std::string_view content = body;
        if (content.ends_with("\r\n")) content.remove_suffix(2);
        const HeaderField* cte = find_header(h, "content-transfer-encoding");
        return decode_transfer_encoding(cte ? ascii_lower(trim_blanks(cte->value)) : "", content);
    }
    const auto boundary = ct ? header_parameter(ct->value, "boundary") : std::nullopt;
    if (!boundary || boundary->empty() || depth >= max_mime_depth) return std::nullopt;
    for (std::string_view part : multipart_parts(body, *boundary))
        if (auto found = search(part, filename, depth + 1)) return found;
    return std::nullopt;
}

}  // namespace

std::vector<std::string_view> body_lines(std::string_view raw) {
    std::vector<std::string_view> out;
    for (std::size_t start = 0; start < raw.size();) {
        const std::size_t lf = raw.find('\n', start);
        const std::size_t end = lf == std::string_view::npos ? raw.size() : lf + 1;
        out.push_back(raw.substr(start, end - start));
        start = end;
    }
    return out;
}

std::string message_text(const Body& body) {
    if (body.kind == Body::Kind::bdat) return body.raw;
    std::string out;
    std::string_view raw = body.raw;
    if (body.terminated) raw.remove_suffix(3);  // ".\r\n"; the CRLF before it ends the last line
    for (std::string_view line : body_lines(raw)) {
        if (line.starts_with('.')) line.remove_prefix(1);
        out += line;
    }
    return out;
}

std::optional<std::string> find_attachment(std::string_view message, std::string_view filename) {
    return search(message, filename, 0);
}

}  // namespace exosim::scenario
