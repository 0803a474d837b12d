// `exosim fuzz-client` options: the parsed values and every refusal (exit 2 in the command).
#include <gtest/gtest.h>

#include "app/cli.hpp"
#include "app/fuzz_client.hpp"
#include "fuzz/anomaly.hpp"

namespace exosim::app {
namespace {

TEST(FuzzClientOptions, ParsesARandomCampaign) {
    const FuzzClientOptions o = parse_fuzz_client_options({"--client", "{exosim_client} {exosim_client_args}", "--mode", "random",
                                                           "--depth", "3", "--seed", "18446744073709551615", "--cases", "7",
                                                           "--stages", "mail,rcpt", "--anomalies", "timing,len-4096",
                                                           "--jobs", "4", "--deadline", "9", "--client-timeout", "3"});
    EXPECT_EQ(o.mode, fuzz::Mode::random);
    EXPECT_EQ(o.depth, 3u);
    EXPECT_EQ(o.seed, 18446744073709551615ULL);
    EXPECT_EQ(o.cases, 7u);
    EXPECT_EQ(o.stages, (std::vector<fuzz::Stage>{fuzz::Stage::mail, fuzz::Stage::rcpt}));
    EXPECT_EQ(o.anomalies.size(), 8u + 1);  // the timing group's 8 classes and len-4096
    EXPECT_EQ(o.jobs, 4u);
    EXPECT_EQ(o.deadline, std::chrono::seconds(9));
    EXPECT_EQ(o.client_timeout, std::chrono::seconds(3));
    EXPECT_FALSE(is_device(o));
}

TEST(FuzzClientOptions, ParsesADeviceCampaign) {
    const FuzzClientOptions o = parse_fuzz_client_options({"--trigger-url", "http://10.0.0.9/scan", "--bind", "10.0.0.5",
                                                           "--real-ports", "--probe", "tcp:10.0.0.9:631", "--confirm", "3",
                                                           "--reconnect-within", "30", "--back-search", "40"});
    EXPECT_TRUE(is_device(o));
    EXPECT_EQ(o.probe, std::make_pair(std::string("10.0.0.9"), std::uint16_t{631}));
    EXPECT_EQ(o.confirm, 3u);
    EXPECT_EQ(o.back_search, 40u);
    EXPECT_EQ(o.reconnect_within, std::chrono::seconds(30));
    EXPECT_TRUE(o.real_ports);
}

TEST(FuzzClientOptions, ProbeTable) {
    const std::pair<const char*, std::optional<std::pair<std::string, std::uint16_t>>> rows[] = {
        {"tcp:127.0.0.1:9100", std::make_pair(std::string("127.0.0.1"), std::uint16_t{9100})},
        {"tcp:printer.lab:1", std::make_pair(std::string("printer.lab"), std::uint16_t{1})},
        {"tcp:::1:631", std::make_pair(std::string("::1"), std::uint16_t{631})},
        {"tcp:h:65535", std::make_pair(std::string("h"), std::uint16_t{65535})},
        {"tcp:h:65536", std::nullopt}, {"tcp:h:0", std::nullopt}, {"tcp:h:", std::nullopt}, {"tcp::631", std::nullopt},
        {"udp:h:631", std::nullopt}, {"tcp:h:63a", std::nullopt}, {"tcp:h:-1", std::nullopt}, {"tcp:h:1000000", std::nullopt},
        {"", std::nullopt}, {"tcp:", std::nullopt},
    };
    for (const auto& [text, expected] : rows) EXPECT_EQ(parse_probe(text), expected) << text;
}

TEST(FuzzClientOptions, RefusesBadOptionsWithTheirReason) {
    const std::pair<std::vector<std::string>, const char*> rows[] = {
        {{}, "--client"},
        {{"--client", "true", "--manual"}, "one of"},
        {{"--client", "true", "--mode", "x"}, "--mode"},
        {{"--client", "true", "--depth", "12"}, "--depth"},
        {{"--client", "true", "--seed", "1e3"}, "not a whole number"},
        {{"--client", "true", "--cases", "-1"}, "not a whole number"},
        {{"--client", "true", "--minutes", "0"}, "--minutes"},
        {{"--client", "true", "--jobs", "65"}, "--jobs"},
        {{"--client", "true", "--deadline", "0"}, "--deadline"},
        {{"--client", "true", "--deadline", "3", "--client-timeout", "3"}, "--client-timeout"},
        {{"--client", "true", "--stages", "mail,x"}, "not a stage"},
        {{"--client", "true", "--anomalies", "len-4097"}, "neither"},
        {{"--client", "true", "--endpoint", "implicit"}, "--endpoint"},
        {{"--client", "true", "--case", "x", "--cases", "2"}, "excludes"},
        {{"--client", "{bad"}, "--client"},
        {{"--manual", "--jobs", "2"}, "one device"},
        {{"--client", "true", "--bind", "10.0.0.1"}, "for a device"},
        {{"--manual", "--reconnect-within", "0"}, "--reconnect-within"},
        {{"--manual", "--back-search", "0"}, "--back-search"},
        {{"--client", "true", "--no-such-option"}, "no-such-option"},
    };
    for (const auto& [args, why] : rows) {
        try {
            parse_fuzz_client_options(args);
            ADD_FAILURE() << "accepted: " << (args.empty() ? "" : args.back());
        } catch (const UsageError& e) {
            EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << e.what();
        }
    }
}

}  // namespace
}  // namespace exosim::app
