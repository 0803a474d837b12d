// Anomaly classes tied to one part of the protocol (EHLO keywords, AUTH, STARTTLS) and those that
// shape time and the connection rather than the bytes; plus the valid replies they start from.
#include "fuzz/anomaly.hpp"
#include "fuzz/anomaly_bytes.hpp"

namespace exosim::fuzz {

namespace {

using scenario::Action;
using Classes = std::vector<AnomalyClass>;
using namespace bytes;

bool everywhere(Stage) { return true; }
bool at_ehlo(Stage s) { return s == Stage::ehlo || s == Stage::ehlo_tls; }

void add(Classes& c, std::string name, std::string group, std::string doc, std::function<Action(Stage)> make,
         std::function<bool(Stage)> applies = everywhere) {
    c.push_back({std::move(name), std::move(group), std::move(doc), std::move(applies), std::move(make)});
}

// The stage's keywords with SIZE replaced by `size`.
std::vector<std::string> with_size(Stage s, const std::string& size) {
    std::vector<std::string> k = ehlo_keywords(s);
    for (std::string& line : k) {
        if (line.starts_with("SIZE")) line = size;
    }
    return k;
}

void ehlo_sizes(Classes& c) {
    const std::pair<const char*, const char*> sizes[] = {
        {"0", "SIZE 0"}, {"neg1", "SIZE -1"}, {"2p31", "SIZE 2147483648"}, {"2p63", "SIZE 9223372036854775808"},
        {"2p64", "SIZE 18446744073709551616"}, {"nonnumeric", "SIZE lots"}};
    for (const auto& [suffix, line] : sizes) {
        add(c, std::string("ehlo-size-") + suffix, "ehlo", std::string("the SIZE keyword as `") + line + "` (RFC 1870 4)",
            [l = std::string(line)](Stage s) { return raw(ehlo_reply(with_size(s, l))); }, at_ehlo);
    }
}

}  // namespace

// EAST `ehlo/250-all`; RFC 5321 4.1.1.1 and the extensions' RFCs.
void ehlo_classes(Classes& c) {
    add(c, "ehlo-dup-keywords", "ehlo", "every keyword twice", [](Stage s) {
        std::vector<std::string> k;
        for (const std::string& line : ehlo_keywords(s)) k.insert(k.end(), {line, line});
        return raw(ehlo_reply(k));
    }, at_ehlo);
    add(c, "ehlo-1000-keywords", "ehlo", "1,000 unknown keywords before the real ones", [](Stage s) {
        std::vector<std::string> k;
        for (int i = 0; i < 1000; ++i) k.push_back("X-FUZZ-" + std::to_string(i));
        for (const std::string& line : ehlo_keywords(s)) k.push_back(line);
        return raw(ehlo_reply(k));
    }, at_ehlo);
    add(c, "ehlo-500-auth-mechs", "ehlo", "an AUTH line with 500 mechanisms (ESP32 stacks keep them in fixed arrays)", [](Stage s) {
        std::string auth = "AUTH";
        for (int i = 0; i < 500; ++i) auth += " X-MECH-" + std::to_string(i);
        std::vector<std::string> k = ehlo_keywords(s);
        k.push_back(auth + " LOGIN XOAUTH2");
        return raw(ehlo_reply(k));
    }, at_ehlo);
    ehlo_sizes(c);
    add(c, "ehlo-auth-empty", "ehlo", "`AUTH` with no mechanism", [](Stage s) {
        std::vector<std::string> k = ehlo_keywords(s);
        k.push_back("AUTH");
        return raw(ehlo_reply(k));
    }, at_ehlo);
    add(c, "ehlo-starttls-stripped", "ehlo", "STARTTLS removed and AUTH offered in plaintext (CC-01, a stripping middlebox)",
        [](Stage) { return raw(ehlo_reply({"SIZE 157286400", "PIPELINING", "AUTH LOGIN PLAIN"})); },
        [](Stage s) { return s == Stage::ehlo; });
}

// curl CVE-2013-0249 (SASL buffer), ESPEasy #1213 (heap corruption after 334); EAST STARTTLS
// injection, curl CVE-2021-22947; ESP-Mail-Client #8 (454 then plaintext).
void auth_starttls_classes(Classes& c) {
    auto at_auth = [](Stage s) { return s == Stage::auth; };
    auto at_starttls = [](Stage s) { return s == Stage::starttls; };
    add(c, "auth-b64-invalid", "auth", "a 334 challenge that is not base64", [](Stage) { return raw("334 !!!*** not base64 ***\r\n"); }, at_auth);
    add(c, "auth-b64-huge", "auth", "a 334 challenge of 65,536 base64 octets",
        [](Stage) { return raw("334 " + std::string(65536, 'Q') + "\r\n"); }, at_auth);
    add(c, "auth-334-bare", "auth", "`334` with no space and no challenge", [](Stage) { return raw("334\r\n"); }, at_auth);
    add(c, "auth-b64-unpadded", "auth", "a challenge missing its base64 padding", [](Stage) { return raw("334 VXNlcm5hbWU\r\n"); }, at_auth);
    add(c, "auth-334-repeated", "auth", "1,000 challenges in one write (an endless 334 exchange)", [](Stage) {
        std::string out;
        for (int i = 0; i < 1000; ++i) out += "334 VXNlcm5hbWU6\r\n";
        return raw(out);
    }, at_auth);
    add(c, "starttls-injected", "starttls", "the 220 carries an injected EHLO reply in the same write (CC-04)", [](Stage) {
        Action a = reply("220 2.0.0 SMTP server ready");
        a.reply.append_raw = "250-evil.example\r\n250 AUTH PLAIN LOGIN\r\n";
        return a;
    }, at_starttls);
    add(c, "starttls-454", "starttls", "STARTTLS refused with 454; the session goes on in plaintext (CC-02)",
        [](Stage) { return reply("454 4.7.0 TLS not available due to temporary reason"); }, at_starttls);
    add(c, "starttls-plaintext", "starttls", "220 sent, but plaintext where the handshake should be (TLS never starts)", [](Stage) {
        Action a = reply("454 4.7.0 TLS not available due to temporary reason");  // the server's decision: stay in plaintext
        a.reply.raw = "220 2.0.0 SMTP server ready\r\n";                          // what the client sees
        return a;
    }, at_starttls);
}

// CPython CVE-2013-1752 (slow input), boofuzz #398 (split replies), UW c-client CVE-2008-5006
// (close instead of 221), CC-12 and CC-22.
void timing_connection_classes(Classes& c) {
    auto valid = [](Stage s) { return render_lines(valid_code(s), valid_lines(s)); };
    add(c, "one-octet-writes", "timing", "the valid reply one octet per write (20 ms apart)", [=](Stage s) {
        Action a = raw(valid(s));
        a.reply.split_every = 1;
        return a;
    });
    for (std::size_t at : {1u, 2u, 3u, 4u}) {
        add(c, "split-at-" + std::to_string(at), "timing", "the valid reply in two writes split at octet " + std::to_string(at),
            [=](Stage s) {
                Action a = raw(valid(s));
                a.reply.split_at = {at};
                return a;
            });
    }
    add(c, "split-before-crlf", "timing", "the valid reply split between its text and its final CRLF", [=](Stage s) {
        Action a = raw(valid(s));
        a.reply.split_at = {a.reply.raw->size() - 2};
        return a;
    });
    for (long ms : {250L, 3000L}) {
        add(c, "pause-" + std::to_string(ms) + "ms", "timing",
            "the valid reply after " + std::to_string(ms) + " ms (3000: just outside fuzz-client's default 2 s client timeout)",
            [=](Stage s) {
                Action a = raw(valid(s));
                a.reply.delay = std::chrono::milliseconds(ms);
                return a;
            });
    }
    add(c, "conn-fin", "connection", "no reply: the server closes (FIN) where the reply is due", [](Stage) {
        Action a;
        a.reply.dropped = true;
        a.effect = scenario::effect::Close{};
        return a;
    });
    add(c, "conn-fin-after-reply", "connection", "the valid reply, then the server closes", [=](Stage s) {
        Action a = raw(valid(s));
        a.effect = scenario::effect::Close{};
        return a;
    });
    add(c, "conn-rst", "connection", "no reply: the connection is reset (RST) where the reply is due", [](Stage) {
        Action a;
        a.reply.dropped = true;
        a.effect = scenario::effect::Reset{};
        return a;
    });
    add(c, "conn-rst-after-reply", "connection", "the valid reply, then a reset (RST) instead of an orderly close", [=](Stage s) {
        Action a = raw(valid(s));
        a.effect = scenario::effect::Reset{};
        return a;
    });
    add(c, "conn-half-close", "connection", "no reply: the server shuts its sending side (FIN) and keeps reading", [](Stage) {
        Action a;
        a.reply.dropped = true;
        a.effect = scenario::effect::HalfClose{};
        return a;
    });
    add(c, "conn-silence", "connection", "no reply, and the connection stays open (silence until the client gives up)", [](Stage) {
        Action a;
        a.effect = scenario::effect::Stall{};
        return a;
    });
}

std::vector<std::string> valid_lines(Stage s) {
    switch (s) {
        case Stage::greeting: return {"exosim.fuzz Microsoft ESMTP MAIL Service ready"};
        case Stage::ehlo: return {"exosim.fuzz Hello", "SIZE 157286400", "PIPELINING", "ENHANCEDSTATUSCODES", "8BITMIME", "STARTTLS"};
        case Stage::ehlo_tls: return {"exosim.fuzz Hello", "SIZE 157286400", "PIPELINING", "ENHANCEDSTATUSCODES", "8BITMIME", "AUTH LOGIN XOAUTH2"};
        case Stage::starttls: return {"2.0.0 SMTP server ready"};
        case Stage::auth: return {"VXNlcm5hbWU6"};
        case Stage::mail: return {"2.1.0 Sender OK"};
        case Stage::rcpt: return {"2.1.5 Recipient OK"};
        case Stage::data: return {"Start mail input; end with <CRLF>.<CRLF>"};
        case Stage::end_of_data: return {"2.6.0 <fuzz@exosim.fuzz> Queued mail for delivery"};
        case Stage::rset: return {"2.0.0 Resetting"};
        case Stage::quit: return {"2.0.0 Service closing transmission channel"};
    }
    return {};
}

std::string render_lines(int code, const std::vector<std::string>& lines) {
    std::string out;
    for (std::size_t i = 0; i < lines.size(); ++i) out += std::to_string(code) + (i + 1 < lines.size() ? "-" : " ") + lines[i] + "\r\n";
    return out;
}

}  // namespace exosim::fuzz
