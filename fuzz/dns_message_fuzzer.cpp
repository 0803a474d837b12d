// The lab DNS stub (lab/dns_*): any bytes as a UDP query and, split by the first byte, as a TCP
// stream. Properties: no crash; a UDP answer is at most 512 octets and echoes the query id; a
// parsed question re-encodes and parses back to the same question.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz_input.hpp"
#include "lab/dns_message.hpp"
#include "lab/dns_responder.hpp"
#include "lab/dns_tcp_framer.hpp"

using namespace exosim::lab::dns;

namespace {

Zone lab_zone() {
    Zone z;
    set_lab_address(z, "127.0.0.1");
    z.hosts = fixed_lab_hosts();
    z.hosts.push_back("contoso-com.mail.protection.outlook.com");
    z.mail.push_back({"contoso.com", {"contoso-com.mail.protection.outlook.com"}, {"v=spf1 ip4:203.0.113.10 -all"}});
    z.owned_zones = {"contoso.com", "mail.protection.outlook.com"};
    return z;
}

void check_roundtrip(std::string_view in) {
    auto parsed = parse_query(in);
    auto* q = std::get_if<Query>(&parsed);
    if (!q || !name_to_wire(q->question.name)) return;
    Response r;
    r.id = q->header.id;
    r.question = q->question;
    std::string out = encode(r);
    out[2] = 0;  // clear QR so it parses as a query again
    auto again = parse_query(out);
    auto* q2 = std::get_if<Query>(&again);
    if (!q2 || q2->question.name != q->question.name || q2->question.type != q->question.type) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    exosim::fuzz::FuzzInput input(data, size);
    const std::size_t split = input.byte();
    const std::string_view in = input.rest();
    Responder responder(lab_zone(), RateLimit{1e9, 1e9, 16});
    const auto now = std::chrono::steady_clock::time_point{};
    if (auto out = responder.answer(in, "192.0.2.1", now, Via::udp)) {
        if (out->size() > max_udp_payload || out->size() < header_size || (*out)[0] != in[0] || (*out)[1] != in[1])
            std::abort();
    }
    check_roundtrip(in);
    TcpFramer framer;
    framer.feed(in.substr(0, split));
    framer.feed(in.substr(std::min(split, in.size())));
    for (int i = 0; i < 64; ++i) {
        auto message = framer.next();
        if (!message) break;
        (void)responder.answer(*message, "192.0.2.1", now, Via::tcp);
    }
    return 0;
}
