#include "lab/dns_message.hpp"

namespace exosim::lab::dns {

namespace {

std::uint16_t get16(std::string_view m, std::size_t at) {
    return static_cast<std::uint16_t>((static_cast<unsigned char>(m[at]) << 8) | static_cast<unsigned char>(m[at + 1]));
}

void put16(std::string& out, std::uint16_t v) {
    out.push_back(static_cast<char>(v >> 8));
    out.push_back(static_cast<char>(v & 0xFF));
}

void put32(std::string& out, std::uint32_t v) {
    put16(out, static_cast<std::uint16_t>(v >> 16));
    put16(out, static_cast<std::uint16_t>(v & 0xFFFF));
}

Header parse_header(std::string_view m) {
    Header h;
    h.id = get16(m, 0);
    auto flags = get16(m, 2);
    h.qr = flags & 0x8000;
    h.opcode = static_cast<std::uint8_t>((flags >> 11) & 0xF);
    h.aa = flags & 0x0400;
    h.tc = flags & 0x0200;
    h.rd = flags & 0x0100;
    h.ra = flags & 0x0080;
    h.rcode = static_cast<std::uint8_t>(flags & 0xF);
    h.qdcount = get16(m, 4);
    h.ancount = get16(m, 6);
    h.nscount = get16(m, 8);
    h.arcount = get16(m, 10);
    return h;
}

// RFC 1035 4.1.2 QNAME: labels up to the zero octet. Returns the offset after the name.
std::variant<std::size_t, ParseError> read_name(std::string_view m, std::size_t at, std::string& name) {
    std::size_t wire = 0;
    for (;;) {
        if (at >= m.size()) return ParseError::truncated_question;
        auto len = static_cast<unsigned char>(m[at]);
        if ((len & 0xC0) == 0xC0) return ParseError::compressed_name;  // 4.1.4 pointer
        if (len & 0xC0) return ParseError::label_too_long;  // 64..191: reserved label types
        wire += 1 + len;
        if (wire > max_name_wire) return ParseError::name_too_long;
        ++at;
        if (len == 0) return at;
        if (at + len > m.size()) return ParseError::truncated_question;
        std::string_view label = m.substr(at, len);
        if (label.find('.') != std::string_view::npos) return ParseError::bad_label;
        if (!name.empty()) name.push_back('.');
        name.append(label);
        at += len;
    }
}

}  // namespace

std::string_view parse_error_name(ParseError e) {
    switch (e) {
    case ParseError::short_header: return "short_header";
    case ParseError::not_a_query: return "not_a_query";
    case ParseError::question_count: return "question_count";
    case ParseError::truncated_question: return "truncated_question";
    case ParseError::label_too_long: return "label_too_long";
    case ParseError::name_too_long: return "name_too_long";
    case ParseError::compressed_name: return "compressed_name";
    case ParseError::bad_label: return "bad_label";
    }
    return "unknown";
}

std::variant<Query, ParseFailure> parse_query(std::string_view m) {
    if (m.size() < header_size) return ParseFailure{ParseError::short_header, std::nullopt};
    Header h = parse_header(m);
    if (h.qr) return ParseFailure{ParseError::not_a_query, h};
    if (h.qdcount != 1) return ParseFailure{ParseError::question_count, h};
    Query q{h, {}};
    auto end = read_name(m, header_size, q.question.name);
    if (auto* e = std::get_if<ParseError>(&end)) return ParseFailure{*e, h};
    std::size_t at = std::get<std::size_t>(end);
    if (at + 4 > m.size()) return ParseFailure{ParseError::truncated_question, h};
    q.question.type = get16(m, at);
    q.question.klass = get16(m, at + 2);
    return q;
}

std::optional<std::string> name_to_wire(std::string_view name) {
    std::string out;
    while (!name.empty()) {
        std::size_t dot = name.find('.');
        std::string_view label = name.substr(0, dot);
        if (label.empty() || label.size() > max_label) return std::nullopt;
        out.push_back(static_cast<char>(label.size()));
        out.append(label);
        name = dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
        if (dot != std::string_view::npos && name.empty()) return std::nullopt;  // trailing dot
    }
    out.push_back('\0');
    if (out.size() > max_name_wire) return std::nullopt;
    return out;
}

namespace {

void put_record(std::string& out, const ResourceRecord& rr) {
    out += name_to_wire(rr.name).value_or(std::string(1, '\0'));
    put16(out, rr.type);
    put16(out, class_in);
    put32(out, rr.ttl);
    put16(out, static_cast<std::uint16_t>(rr.rdata.size()));
    out += rr.rdata;
}

}  // namespace

std::string encode(const Response& r, std::size_t max_size) {
    std::string body;
    std::uint16_t qd = 0, an = 0, ns = 0;
    bool truncated = false;
    if (r.question) {
        auto wire = name_to_wire(r.question->name);
        body += wire ? *wire : std::string(1, '\0');
        put16(body, r.question->type);
        put16(body, r.question->klass);
        qd = 1;
    }
    auto add = [&](const std::vector<ResourceRecord>& records, std::uint16_t& count) {
        for (const auto& rr : records) {
            std::string one;
            put_record(one, rr);
            if (truncated || header_size + body.size() + one.size() > max_size) {
                truncated = true;
                return;
            }
            body += one;
            ++count;
        }
    };
    add(r.answers, an);
    add(r.authority, ns);
    std::string out;
    put16(out, r.id);
    std::uint16_t flags = 0x8000 | static_cast<std::uint16_t>((r.opcode & 0xF) << 11) |
                          static_cast<std::uint16_t>(static_cast<std::uint8_t>(r.rcode) & 0xF);
    if (r.aa) flags |= 0x0400;
    if (truncated) flags |= 0x0200;
    if (r.rd) flags |= 0x0100;  // RA stays 0: this server never recurses
    put16(out, flags);
    put16(out, qd);
    put16(out, an);
    put16(out, ns);
    put16(out, 0);
    return out + body;
}

std::string a_rdata(const std::uint8_t (&v4)[4]) { return std::string(reinterpret_cast<const char*>(v4), 4); }
std::string aaaa_rdata(const std::uint8_t (&v6)[16]) { return std::string(reinterpret_cast<const char*>(v6), 16); }

std::string mx_rdata(std::uint16_t preference, std::string_view exchange) {
    std::string out;
    put16(out, preference);
    return out + name_to_wire(exchange).value_or(std::string(1, '\0'));
}

std::string txt_rdata(std::string_view text) {
    std::string out;
    do {
        std::string_view part = text.substr(0, max_character_string);
        out.push_back(static_cast<char>(part.size()));
        out.append(part);
        text.remove_prefix(part.size());
    } while (!text.empty());
    return out;
}

std::string soa_rdata(std::string_view mname, std::string_view rname, std::uint32_t serial, std::uint32_t refresh,
                      std::uint32_t retry, std::uint32_t expire, std::uint32_t minimum) {
    std::string out = name_to_wire(mname).value_or(std::string(1, '\0')) + name_to_wire(rname).value_or(std::string(1, '\0'));
    for (std::uint32_t v : {serial, refresh, retry, expire, minimum}) put32(out, v);
    return out;
}

}  // namespace exosim::lab::dns
