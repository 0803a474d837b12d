// Each anomaly generator's exact bytes (table test), and every class round-tripping through the
// reproducer YAML and the real scenario loader.
#include <gtest/gtest.h>

#include "fuzz/anomaly.hpp"
#include "fuzz/case_scenario.hpp"
#include "fuzz/case_text.hpp"
#include "scenario/yaml_io.hpp"

namespace exosim::fuzz {
namespace {

using namespace std::string_literals;

scenario::Action make(std::string_view cls, Stage s) { return anomaly_classes()[*anomaly_index(cls)].make(s); }

struct Row {
    const char* cls;
    Stage stage;
    std::string bytes;  // exact octets
    std::string shape;  // action_shape()
};

TEST(AnomalyBytes, ExactBytesPerGenerator) {
    const std::string mail = "250 2.1.0 Sender OK\r\n";
    const Row rows[] = {
        {"code-550", Stage::mail, "550 exosim fuzz reply\r\n", ""},
        {"code-421", Stage::rcpt, "421 exosim fuzz reply\r\n", ""},
        {"code-421", Stage::quit, "421 exosim fuzz reply\r\n", ""},  // raw: QUIT cannot be answered 421 as a reply
        {"code-334", Stage::auth, "334 exosim fuzz reply\r\n", ""},
        {"ml-cont-1", Stage::mail, "250-X-FUZZ\r\n250 2.1.0 Sender OK\r\n", ""},
        {"ml-no-final", Stage::mail, "250-2.1.0 Sender OK\r\n", ""},
        {"ml-eof-after-dash", Stage::mail, "250-\r\n", "effect=close"},
        {"ml-code-change", Stage::mail, "250-first\r\n554-changed\r\n250 last\r\n", ""},
        {"ml-code-change", Stage::rcpt, "250-first\r\n554-changed\r\n250 last\r\n", ""},
        {"ml-final-first", Stage::data, "354 first\r\n354-then\r\n354 last\r\n", ""},
        {"len-512", Stage::mail, "250 2.1.0 Sender OK" + std::string(512 - 21, 'x') + "\r\n", ""},
        {"short-code-only", Stage::mail, "250\r\n", ""},
        {"short-two-digits", Stage::quit, "22\r\n", ""},
        {"short-five-octets", Stage::mail, "250 O", ""},
        {"short-no-terminator", Stage::mail, "250 2.1.0 Sender OK", ""},
        {"short-empty-line", Stage::mail, "\r\n", ""},
        {"short-dash-only", Stage::greeting, "220-\r\n", ""},
        {"bare-lf", Stage::mail, "250 2.1.0 Sender OK\n", ""},
        {"bare-cr", Stage::mail, "250 2.1.0 Sender OK\r", ""},
        {"nul-in-text", Stage::mail, "250 a\0b\0\0c\r\n"s, ""},
        {"eight-bit", Stage::mail, "250 d\xe9j\xe0 vu\r\n", ""},
        {"invalid-utf8", Stage::mail, "250 \xff\xfe\xc0\xaf\x80\xed\xa0\x80\r\n", ""},
        {"extra-crlf", Stage::mail, mail + "\r\n", ""},
        {"range-099", Stage::mail, "099 exosim fuzz reply\r\n", ""},
        {"range-25a", Stage::mail, "25a exosim fuzz reply\r\n", ""},
        {"range-2500", Stage::mail, "2500 exosim fuzz reply\r\n", ""},
        {"enh-bare", Stage::mail, "250 2.7.2\r\n", ""},
        {"enh-bare", Stage::data, "354 3.7.2\r\n", ""},
        {"enh-class-mismatch", Stage::mail, "250 5.7.1 mismatch\r\n", ""},
        {"enh-truncated", Stage::mail, "250 2.\r\n", ""},
        {"enh-huge", Stage::mail, "250 2.99999999999999999999.99999999999999999999 huge\r\n", ""},
        {"ehlo-size-2p64", Stage::ehlo,
         "250-exosim.fuzz Hello\r\n250-SIZE 18446744073709551616\r\n250-PIPELINING\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250 STARTTLS\r\n", ""},
        {"ehlo-size-neg1", Stage::ehlo_tls,
         "250-exosim.fuzz Hello\r\n250-SIZE -1\r\n250-PIPELINING\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250 AUTH LOGIN XOAUTH2\r\n", ""},
        {"ehlo-auth-empty", Stage::ehlo_tls,
         "250-exosim.fuzz Hello\r\n250-SIZE 157286400\r\n250-PIPELINING\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-AUTH LOGIN XOAUTH2\r\n250 AUTH\r\n", ""},
        {"ehlo-starttls-stripped", Stage::ehlo, "250-exosim.fuzz Hello\r\n250-SIZE 157286400\r\n250-PIPELINING\r\n250 AUTH LOGIN PLAIN\r\n", ""},
        {"auth-b64-invalid", Stage::auth, "334 !!!*** not base64 ***\r\n", ""},
        {"auth-334-bare", Stage::auth, "334\r\n", ""},
        {"auth-b64-unpadded", Stage::auth, "334 VXNlcm5hbWU\r\n", ""},
        {"starttls-454", Stage::starttls, "454 4.7.0 TLS not available due to temporary reason\r\n", ""},
        {"starttls-injected", Stage::starttls, "220 2.0.0 SMTP server ready\r\n250-evil.example\r\n250 AUTH PLAIN LOGIN\r\n", ""},
        {"starttls-plaintext", Stage::starttls, "220 2.0.0 SMTP server ready\r\n", "decision=\"454 4.7.0 TLS not available due to temporary reason\""},
        {"one-octet-writes", Stage::mail, mail, "split_every=1"},
        {"split-at-3", Stage::mail, mail, "split_at=3"},
        {"split-before-crlf", Stage::mail, mail, "split_at=19"},
        {"pause-3000ms", Stage::mail, mail, "delay=3000ms"},
        {"conn-fin", Stage::mail, "", "no_reply effect=close"},
        {"conn-fin-after-reply", Stage::quit, "221 2.0.0 Service closing transmission channel\r\n", "effect=close"},
        {"conn-silence", Stage::mail, "", "effect=stall"},
    };
    for (const Row& r : rows) {
        const scenario::Action a = make(r.cls, r.stage);
        EXPECT_EQ(action_bytes(a), r.bytes) << r.cls << " at " << stage_name(r.stage) << ": " << escaped(action_bytes(a));
        EXPECT_EQ(action_shape(a), r.shape) << r.cls;
    }
}

TEST(AnomalyBytes, SizesOfTheLargeGenerators) {
    for (std::size_t n : {512u, 1000u, 1024u, 4096u, 8192u, 16384u, 65536u, 1048576u}) {
        const std::string b = action_bytes(make("len-" + std::to_string(n), Stage::mail));
        EXPECT_EQ(b.size(), n);
        EXPECT_EQ(b.find("\r\n"), n - 2);
    }
    // Multi-line EHLO: the long line is the hello line; the keywords follow it.
    const std::string ehlo = action_bytes(make("len-1000", Stage::ehlo));
    EXPECT_EQ(ehlo.find("\r\n"), 998u);
    EXPECT_TRUE(ehlo.ends_with("250 STARTTLS\r\n"));
    const std::string cont = action_bytes(make("ml-cont-100000", Stage::mail));
    EXPECT_EQ(cont.size(), 100'000u * 12 + 21);
    const std::string endless = action_bytes(make("ml-endless", Stage::mail));
    EXPECT_TRUE(endless.ends_with("250-X-FUZZ\r\n250-2.1.0 Sender OK\r\n"));
    EXPECT_EQ(endless.find("250 "), std::string::npos);  // no final line anywhere
    EXPECT_EQ(action_bytes(make("auth-b64-huge", Stage::auth)).size(), 4u + 65536 + 2);
    EXPECT_EQ(action_bytes(make("auth-334-repeated", Stage::auth)).size(), 1000u * 18);
    const std::string mechs = action_bytes(make("ehlo-500-auth-mechs", Stage::ehlo_tls));
    EXPECT_NE(mechs.find("X-MECH-499 LOGIN XOAUTH2\r\n"), std::string::npos);
    EXPECT_NE(action_bytes(make("ehlo-1000-keywords", Stage::ehlo)).find("250-X-FUZZ-999\r\n"), std::string::npos);
}

TEST(AnomalyBytes, CodeClassesCoverTheRfcCodes) {
    for (int code : rfc_reply_codes()) EXPECT_TRUE(anomaly_index("code-" + std::to_string(code))) << code;
    EXPECT_EQ(rfc_reply_codes().size(), 32u);
}

// Every class at every stage it applies to survives the reproducer's trip: YAML written, loaded
// by the real scenario loader (its validation included), the same action back.
TEST(Reproducer, EveryPairRoundTripsThroughTheScenarioLoader) {
    std::vector<bool> big_done(anomaly_classes().size(), false);
    for (const Anomaly& pair : catalogue_table()) {
        // The megabyte generators once (at their first stage), to keep the test quick under ASan.
        if (action_bytes(anomaly_classes()[pair.cls].make(pair.stage)).size() > 65536 + 64) {
            if (big_done[pair.cls]) continue;
            big_done[pair.cls] = true;
        }
        FuzzCase c{{version(), model_hash(), 1, Mode::catalogue, 1, 0, 0}, {pair}};
        const scenario::Scenario s = case_scenario(c, "submission");
        const std::string yaml = scenario_yaml(s, "case\nsecond line");
        scenario::Scenario back;
        try {
            back = scenario::parse_scenario_yaml(yaml, "repro.yaml");
        } catch (const std::exception& e) {
            FAIL() << anomaly_classes()[pair.cls].name << " at " << stage_name(pair.stage) << ": " << e.what();
        }
        ASSERT_EQ(back.server.rules.size(), 1u);
        const scenario::Action& a = s.server.rules[0].action;
        const scenario::Action& b = back.server.rules[0].action;
        EXPECT_EQ(action_signature(a), action_signature(b)) << anomaly_classes()[pair.cls].name << " at " << stage_name(pair.stage);
        EXPECT_EQ(back.server.rules[0].match.step, s.server.rules[0].match.step);
        EXPECT_EQ(back.server.rules[0].match.after_tls, s.server.rules[0].match.after_tls);
        EXPECT_EQ(back.id, s.id);
        EXPECT_EQ(back.expect.rules, s.expect.rules);
    }
}

}  // namespace
}  // namespace exosim::fuzz
