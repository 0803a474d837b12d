#include "lab/dns_responder.hpp"

#include <gtest/gtest.h>

#include <string>

namespace exosim::lab::dns {
namespace {

using namespace std::string_literals;
using Time = std::chrono::steady_clock::time_point;

Zone contoso_zone() {
    Zone z;
    EXPECT_TRUE(set_lab_address(z, "192.0.2.5"));
    z.hosts = fixed_lab_hosts();
    z.hosts.push_back("contoso-com.mail.protection.outlook.com");
    z.mail.push_back({"contoso.com", {"contoso-com.mail.protection.outlook.com"}, {"v=spf1 ip4:203.0.113.10 -all"}});
    z.owned_zones = {"contoso.com", "mail.protection.outlook.com"};
    return z;
}

std::string query(const std::string& name, std::uint16_t qtype, std::uint16_t id = 0x0102, std::uint8_t opcode = 0,
                  std::uint16_t klass = class_in) {
    std::string q = {static_cast<char>(id >> 8), static_cast<char>(id & 0xFF), static_cast<char>(0x01 | (opcode << 3)), 0,
                     0, 1, 0, 0, 0, 0, 0, 0};
    q += *name_to_wire(name);
    q += {static_cast<char>(qtype >> 8), static_cast<char>(qtype & 0xFF), static_cast<char>(klass >> 8),
          static_cast<char>(klass & 0xFF)};
    return q;
}

struct Parsed {
    std::uint8_t rcode;
    bool aa, ra;
    int an, ns;
    std::string rest;  // everything after the question
};

Parsed parsed(const std::string& out, const std::string& q) {
    auto u16 = [&](std::size_t at) { return (static_cast<unsigned char>(out[at]) << 8) | static_cast<unsigned char>(out[at + 1]); };
    EXPECT_EQ(out.substr(0, 2), q.substr(0, 2));
    EXPECT_TRUE(out[2] & 0x80);
    EXPECT_EQ(out.substr(12, q.size() - 12), q.substr(12));  // the question is echoed
    return {static_cast<std::uint8_t>(out[3] & 0x0F), (out[2] & 0x04) != 0, (out[3] & 0x80) != 0, u16(6), u16(8), out.substr(q.size())};
}

Parsed ask(Responder& r, const std::string& q) {
    auto out = r.answer(q, "192.0.2.77", Time{}, Via::udp);
    EXPECT_TRUE(out);
    return out ? parsed(*out, q) : Parsed{};
}

TEST(DnsResponder, EveryLabHostGetsTheLabAddress) {
    Responder r(contoso_zone());
    std::vector<std::string> names = fixed_lab_hosts();
    names.push_back("contoso-com.mail.protection.outlook.com");
    names.push_back("SMTP.Office365.com");  // case-insensitive (RFC 1035 2.3.3)
    for (const std::string& name : names) {
        Parsed p = ask(r, query(name, type::a));
        EXPECT_EQ(p.rcode, 0) << name;
        EXPECT_TRUE(p.aa) << name;
        EXPECT_FALSE(p.ra) << name;  // never recurses
        ASSERT_EQ(p.an, 1) << name;
        // name, type A, class IN, TTL 60, length 4, 192.0.2.5
        EXPECT_EQ(p.rest, *name_to_wire(name) + "\x00\x01\x00\x01\x00\x00\x00\x3C\x00\x04\xC0\x00\x02\x05"s) << name;
    }
}

TEST(DnsResponder, MxAndSpfForAcceptedDomains) {
    Responder r(contoso_zone());
    Parsed mx = ask(r, query("contoso.com", type::mx));
    ASSERT_EQ(mx.an, 1);
    const std::string rd = mx_rdata(0, "contoso-com.mail.protection.outlook.com");
    ASSERT_EQ(rd.size(), 43u);  // preference + 41-octet name
    EXPECT_EQ(mx.rest, *name_to_wire("contoso.com") + "\x00\x0F\x00\x01\x00\x00\x00\x3C\x00\x2B"s + rd);
    Parsed txt = ask(r, query("contoso.com", type::txt));
    ASSERT_EQ(txt.an, 1);
    EXPECT_NE(txt.rest.find("\x1Cv=spf1 ip4:203.0.113.10 -all"), std::string::npos);
}

TEST(DnsResponder, UnknownNamesInOwnedZonesAreNxdomainWithSoa) {
    Responder r(contoso_zone());
    for (const char* name : {"nope.contoso.com", "fabrikam-net.mail.protection.outlook.com"}) {
        Parsed p = ask(r, query(name, type::a));
        EXPECT_EQ(p.rcode, 3) << name;
        EXPECT_TRUE(p.aa);
        EXPECT_EQ(p.an, 0);
        EXPECT_EQ(p.ns, 1);
    }
    EXPECT_EQ(r.stats().nxdomain, 2u);
}

TEST(DnsResponder, EverythingElseIsRefused) {
    Responder r(contoso_zone());
    for (const char* name : {"example.org", "outlook.office365.com", "notcontoso.com", "com", ""}) {
        Parsed p = ask(r, query(name, type::a));
        EXPECT_EQ(p.rcode, 5) << name;
        EXPECT_FALSE(p.aa) << name;
        EXPECT_EQ(p.an + p.ns, 0) << name;
    }
    // Another class (CHAOS "version.bind") is refused too.
    EXPECT_EQ(ask(r, query("smtp.office365.com", type::txt, 1, 0, 3)).rcode, 5);
}

TEST(DnsResponder, NodataForOtherTypes) {
    Responder r(contoso_zone());
    Parsed aaaa = ask(r, query("smtp.office365.com", type::aaaa));  // an IPv4 lab
    EXPECT_EQ(aaaa.rcode, 0);
    EXPECT_EQ(aaaa.an, 0);
    Parsed a = ask(r, query("contoso.com", type::a));
    EXPECT_EQ(a.rcode, 0);
    EXPECT_EQ(a.an, 0);
    EXPECT_EQ(a.ns, 1);  // SOA of the owned zone (RFC 2308 2.2)
}

TEST(DnsResponder, Ipv6LabAnswersAaaa) {
    Zone z = contoso_zone();
    ASSERT_TRUE(set_lab_address(z, "fd00::5"));
    Responder r(z);
    Parsed p = ask(r, query("login.microsoftonline.com", type::aaaa));
    ASSERT_EQ(p.an, 1);
    EXPECT_EQ(p.rest.substr(p.rest.size() - 16), "\xFD\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x05"s);
    EXPECT_EQ(ask(r, query("login.microsoftonline.com", type::a)).an, 0);
}

TEST(DnsResponder, MalformedGetsFormerrAndResponsesAreIgnored) {
    Responder r(contoso_zone());
    std::string bad = query("smtp.office365.com", type::a).substr(0, 20);
    auto out = r.answer(bad, "c", Time{}, Via::udp);
    ASSERT_TRUE(out);
    EXPECT_EQ(out->size(), 12u);
    EXPECT_EQ((*out)[3] & 0x0F, 1);
    std::string response = query("smtp.office365.com", type::a);
    response[2] = static_cast<char>(response[2] | 0x80);
    EXPECT_FALSE(r.answer(response, "c", Time{}, Via::udp));
    EXPECT_FALSE(r.answer("\x01\x02\x03", "c", Time{}, Via::udp));
    EXPECT_EQ(ask(r, query("smtp.office365.com", type::a, 7, 5)).rcode, 4);  // UPDATE: NOTIMP
}

// RateLimit: `burst` answers at once (n-1, n answered; n+1 dropped), then `answers_per_second`.
TEST(DnsResponder, RateLimitPerClient) {
    RateLimit limit{10, 5, 100};
    Responder r(contoso_zone(), limit);
    const std::string q = query("smtp.office365.com", type::a);
    Time t0{};
    for (int i = 0; i < 5; ++i) EXPECT_TRUE(r.answer(q, "192.0.2.1", t0, Via::udp)) << i;
    EXPECT_FALSE(r.answer(q, "192.0.2.1", t0, Via::udp));
    EXPECT_TRUE(r.answer(q, "192.0.2.2", t0, Via::udp));  // another client has its own bucket
    EXPECT_FALSE(r.answer(q, "192.0.2.1", t0 + std::chrono::milliseconds(99), Via::tcp));
    EXPECT_TRUE(r.answer(q, "192.0.2.1", t0 + std::chrono::milliseconds(100), Via::tcp));  // 10/s: one token
    EXPECT_EQ(r.stats().rate_limited, 2u);
}

}  // namespace
}  // namespace exosim::lab::dns
