// Configuration loading: the embedded default, sections replacing the default's, errors that name
// file, line and key, and the CLI overrides.
#include "app/config.hpp"

#include <gtest/gtest.h>

#include "app/cli.hpp"

namespace exosim::app {
namespace {

using transport::TlsMode;

TEST(Config, EmbeddedDefaultHasTheFourExchangeListeners) {
    AppConfig c = load_config(std::nullopt);
    ASSERT_EQ(c.listeners.size(), 4u);
    EXPECT_EQ(c.listeners[0].name, "submission");
    EXPECT_EQ(c.listeners[0].profile, "exo-submission");
    EXPECT_EQ(c.listeners[0].port, 1587);
    EXPECT_EQ(c.listeners[0].tls.min, core::TlsVersion::tls1_0);  // old handshakes complete, then 421 4.7.66
    EXPECT_EQ(c.listeners[0].tls.certificate, "smtp.office365.com");
    EXPECT_EQ(c.listeners[1].name, "legacy");
    EXPECT_EQ(c.listeners[1].profile, "exo-legacy");
    EXPECT_EQ(c.listeners[1].port, 1588);
    EXPECT_EQ(c.listeners[2].name, "mx");
    EXPECT_EQ(c.listeners[2].profile, "exo-mx");
    EXPECT_EQ(c.listeners[2].port, 1025);
    EXPECT_TRUE(c.listeners[2].tls.request_client_cert);
    EXPECT_EQ(c.listeners[3].profile, "exo-465");
    EXPECT_EQ(c.listeners[3].tls.mode, TlsMode::implicit);
    EXPECT_EQ(c.listeners[3].port, 1465);
    ASSERT_EQ(c.accounts.size(), 1u);
    EXPECT_EQ(c.accounts[0].user, "printer@contoso.com");
    EXPECT_EQ(c.capture, store::CaptureMode::disk);
    EXPECT_EQ(c.address_map.seen("127.0.0.10"), "203.0.113.10");
    EXPECT_EQ(c.address_map.seen("127.0.0.66"), "198.51.100.66");
    EXPECT_EQ(c.address_map.seen("127.0.0.1"), "192.0.2.1");
    EXPECT_EQ(c.exchange.auth_tarpit, std::chrono::milliseconds(5000));
    EXPECT_EQ(c.clock, ClockMode::real);
}

TEST(Config, SectionsReplaceTheDefaultsAndOthersStay) {
    AppConfig c = load_config_text(
        "capture: memory\n"
        "listeners:\n"
        "  - {name: only, port: 0, tls: {mode: none}, timeouts: {command: 0.3, data: 1.5, min_data_rate: 100},\n"
        "     limits: {max_connections: 5, max_per_client: 2}, behaviour: blackhole}\n",
        "test.yaml", load_config(std::nullopt));
    EXPECT_EQ(c.capture, store::CaptureMode::memory);
    ASSERT_EQ(c.listeners.size(), 1u);
    const auto& l = c.listeners[0];
    EXPECT_EQ(l.tls.mode, TlsMode::none);
    EXPECT_EQ(l.timeouts.command, std::chrono::milliseconds(300));
    EXPECT_EQ(l.timeouts.data_block, std::chrono::milliseconds(1500));
    EXPECT_EQ(l.timeouts.min_data_rate, 100u);
    EXPECT_EQ(l.limits.max_connections_per_client, 2u);
    EXPECT_EQ(l.behaviour, transport::ListenerBehaviour::blackhole);
    EXPECT_EQ(c.accounts.size(), 1u);  // untouched section
}

std::string error_of(const std::string& yaml) {
    try {
        load_config_text(yaml, "lab.yaml");
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "(no error)";
}

TEST(Config, UnknownKeysNameFileLineAndKey) {
    EXPECT_EQ(error_of("capture: disk\nbogus: 1\n").substr(0, 20), "lab.yaml:2:1: bogus:");
    std::string e = error_of("listeners:\n  - name: a\n    port: 25\n    tls: {mode: starttls, minn: \"1.2\"}\n");
    EXPECT_NE(e.find("lab.yaml:4:"), std::string::npos) << e;
    EXPECT_NE(e.find("listeners[0].tls.minn"), std::string::npos) << e;
    EXPECT_NE(e.find("unknown key"), std::string::npos) << e;
}

TEST(Config, BadValuesAreErrors) {
    EXPECT_NE(error_of("capture: tape\n").find("capture: 'tape' is not one of disk|memory|off"), std::string::npos);
    EXPECT_NE(error_of("listeners: [{name: a, port: 70000}]\n").find("listeners[0].port"), std::string::npos);
    EXPECT_NE(error_of("listeners: [{name: a}]\n").find("listeners[0].port: missing"), std::string::npos);
    EXPECT_NE(error_of("listeners: [{name: a, port: 1, tls: {min: \"1.4\"}}]\n").find("not a TLS version"),
              std::string::npos);
    EXPECT_NE(error_of("listeners: [{name: a, port: 1}, {name: a, port: 2}]\n").find("duplicate"), std::string::npos);
    EXPECT_NE(error_of("listeners: [{name: a, port: 1, profile: exo-nope}]\n").find("unknown profile"),
              std::string::npos);
    EXPECT_NE(error_of("accounts: [{user: x}]\n").find("accounts[0].password: missing"), std::string::npos);
    EXPECT_NE(error_of("threads: -1\n").find("threads"), std::string::npos);
    EXPECT_NE(error_of("listeners: [\n").find("lab.yaml:"), std::string::npos);
}

TEST(Config, PrintedConfigLoadsBackTheSame) {
    AppConfig c = load_config(std::nullopt);
    AppConfig again = load_config_text(to_yaml(c), "<printed>");
    ASSERT_EQ(again.listeners.size(), c.listeners.size());
    for (std::size_t i = 0; i < c.listeners.size(); ++i) {
        EXPECT_EQ(again.listeners[i].name, c.listeners[i].name);
        EXPECT_EQ(again.listeners[i].port, c.listeners[i].port);
        EXPECT_EQ(again.listeners[i].tls.min, c.listeners[i].tls.min);
        EXPECT_EQ(again.listeners[i].tls.mode, c.listeners[i].tls.mode);
        EXPECT_EQ(again.listeners[i].timeouts.command, c.listeners[i].timeouts.command);
    }
    EXPECT_EQ(again.address_map.entries().size(), c.address_map.entries().size());
    EXPECT_EQ(again.accounts.size(), c.accounts.size());
}

TEST(Cli, ServeOptionsAndOverrides) {
    ServeOptions o = parse_serve_options({"--data-dir", "/tmp/x", "--bind", "0.0.0.0", "--real-ports",
                                          "--capture", "off", "--threads", "3"});
    AppConfig c = load_config(std::nullopt);
    apply_overrides(c, o);
    EXPECT_EQ(c.data_dir, "/tmp/x");
    EXPECT_EQ(c.capture, store::CaptureMode::off);
    EXPECT_EQ(c.threads, 3u);
    EXPECT_EQ(c.listeners[0].address, "0.0.0.0");
    EXPECT_EQ(c.listeners[0].port, 587);
    EXPECT_EQ(c.listeners[1].port, 1588);  // legacy cannot share 587 with submission
    EXPECT_EQ(c.listeners[2].port, 25);
    EXPECT_EQ(c.listeners[3].port, 465);
    EXPECT_EQ(c.identity.address, "0.0.0.0");
    EXPECT_EQ(c.identity.port, 443);
    ServeOptions e = parse_serve_options({"--ephemeral-ports"});
    apply_overrides(c, e);
    EXPECT_EQ(c.listeners[0].port, 0);
    EXPECT_EQ(c.identity.port, 0);
}

TEST(Cli, IdentityListenerDefaultsAndOverrides) {
    AppConfig c = load_config(std::nullopt);
    EXPECT_TRUE(c.identity.enabled);
    EXPECT_EQ(c.identity.address, "127.0.0.1");
    EXPECT_EQ(c.identity.port, 1443);
    AppConfig moved = c;
    apply_overrides(moved, parse_serve_options({"--identity", "127.0.0.5:8443"}));
    EXPECT_EQ(moved.identity.address, "127.0.0.5");
    EXPECT_EQ(moved.identity.port, 8443);
    AppConfig off = c;
    apply_overrides(off, parse_serve_options({"--no-identity"}));
    EXPECT_FALSE(off.identity.enabled);
    // A non-default port is the user's choice: --real-ports leaves it.
    AppConfig custom = load_config_text("identity: {port: 2443}\n", "test", c);
    apply_overrides(custom, parse_serve_options({"--real-ports"}));
    EXPECT_EQ(custom.identity.port, 2443);
    EXPECT_THROW(parse_serve_options({"--identity", "x:y"}), UsageError);
    EXPECT_THROW(parse_serve_options({"--identity", "1443", "--no-identity"}), UsageError);
    EXPECT_THROW(load_config_text("identity: {prot: 1}\n", "test", c), ConfigError);
    AppConfig again = load_config_text(to_yaml(moved), "emitted", AppConfig{});
    EXPECT_EQ(again.identity.address, "127.0.0.5");
    EXPECT_EQ(again.identity.port, 8443);
}

TEST(Cli, BadInputIsAUsageError) {
    EXPECT_THROW(parse_serve_options({"--capture", "tape"}), UsageError);
    EXPECT_THROW(parse_serve_options({"--nope"}), UsageError);
    EXPECT_THROW(parse_serve_options({"--threads", "x"}), UsageError);
    EXPECT_THROW(parse_serve_options({"--real-ports", "--ephemeral-ports"}), UsageError);
}

}  // namespace
}  // namespace exosim::app
