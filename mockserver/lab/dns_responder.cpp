#include "lab/dns_responder.hpp"

#include <algorithm>

namespace exosim::lab::dns {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : static_cast<char>(c); });
    return out;
}

bool contains(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

bool wants(std::uint16_t qtype, std::uint16_t rtype) { return qtype == rtype || qtype == type::any; }

}  // namespace

Responder::Responder(Zone zone, RateLimit limit)
    : zone_(std::move(zone)), buckets_(limit.burst, limit.answers_per_second, limit.max_tracked_clients) {}

std::optional<std::string> Responder::answer(std::string_view message, const std::string& client,
                                             std::chrono::steady_clock::time_point now, Via via) {
    auto parsed = parse_query(message);
    if (auto* f = std::get_if<ParseFailure>(&parsed)) {
        // Never answer a response (RFC 1035 4.1.1 QR) or a fragment without an id.
        if (!f->header || f->error == ParseError::not_a_query) return std::nullopt;
    }
    if (!buckets_.take(client, now)) {
        ++stats_.rate_limited;
        return std::nullopt;
    }
    Response r;
    if (auto* f = std::get_if<ParseFailure>(&parsed)) {
        ++stats_.malformed;
        r.id = f->header->id;
        r.opcode = f->header->opcode;
        r.rd = f->header->rd;
        r.rcode = Rcode::format_error;
    } else {
        r = respond(std::get<Query>(parsed));
    }
    return encode(r, via == Via::udp ? max_udp_payload : 65535);
}

Response Responder::respond(const Query& q) {
    Response r;
    r.id = q.header.id;
    r.opcode = q.header.opcode;
    r.rd = q.header.rd;
    r.question = q.question;
    if (q.header.opcode != 0) {  // only QUERY (RFC 1035 4.1.1); no NOTIFY, UPDATE, IQUERY
        r.rcode = Rcode::not_implemented;
        return r;
    }
    const std::string name = lower(q.question.name);
    const std::string* zone = owning_zone(name);
    bool known = contains(zone_.hosts, name) ||
                 std::any_of(zone_.mail.begin(), zone_.mail.end(), [&](const MailDomain& m) { return m.domain == name; });
    if (q.question.klass != class_in || (!known && !zone)) {
        ++stats_.refused;
        r.rcode = Rcode::refused;
        return r;
    }
    r.aa = true;
    if (!known) {
        ++stats_.nxdomain;
        r.rcode = Rcode::name_error;
        r.authority.push_back(soa(*zone));
        return r;
    }
    ++stats_.answered;
    add_records(name, q.question.type, q.question, r);
    if (r.answers.empty() && zone) r.authority.push_back(soa(*zone));  // NODATA (RFC 2308 2.2)
    return r;
}

void Responder::add_records(const std::string& name, std::uint16_t qtype, const Question& q, Response& r) const {
    auto record = [&](std::uint16_t t, std::string rdata) { r.answers.push_back({q.name, t, answer_ttl, std::move(rdata)}); };
    if (contains(zone_.hosts, name)) {
        if (zone_.v4 && wants(qtype, type::a)) {
            std::uint8_t b[4];
            std::copy(zone_.v4->begin(), zone_.v4->end(), b);
            record(type::a, a_rdata(b));
        }
        if (zone_.v6 && wants(qtype, type::aaaa)) {
            std::uint8_t b[16];
            std::copy(zone_.v6->begin(), zone_.v6->end(), b);
            record(type::aaaa, aaaa_rdata(b));
        }
    }
    for (const MailDomain& m : zone_.mail) {
        if (m.domain != name) continue;
        if (wants(qtype, type::mx))
            for (std::size_t i = 0; i < m.mx_hosts.size(); ++i)
                record(type::mx, mx_rdata(static_cast<std::uint16_t>(i * 10), m.mx_hosts[i]));
        if (wants(qtype, type::txt))
            for (const std::string& t : m.txt) record(type::txt, txt_rdata(t));
    }
}

// The longest owned apex that `name` equals or ends with (".apex").
const std::string* Responder::owning_zone(const std::string& name) const {
    const std::string* best = nullptr;
    for (const std::string& z : zone_.owned_zones) {
        bool inside = name == z || (name.size() > z.size() && name.ends_with(z) && name[name.size() - z.size() - 1] == '.');
        if (inside && (!best || z.size() > best->size())) best = &z;
    }
    return best;
}

ResourceRecord Responder::soa(const std::string& zone) const {
    // A fixed serial: the zone is rebuilt, never transferred.
    return {zone, type::soa, negative_ttl,
            soa_rdata("ns.exosim.invalid", "hostmaster.exosim.invalid", 1, 3600, 600, 86400, negative_ttl)};
}

}  // namespace exosim::lab::dns
