// Golden transcripts (Postfix style): every tests/golden/<profile>/*.smtp file is replayed through
// core::Engine with that profile's policy, and the transcript it produces must equal the file byte
// for byte. EXOSIM_UPDATE_GOLDEN=1 rewrites the files instead (review the diff). The format is in
// tests/golden/README.md.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/ascii.hpp"
#include "core/base64.hpp"
#include "core/engine.hpp"
#include "policy/exchange_online/factory.hpp"
#include "policy/exo_test_support.hpp"
#include "policy/rfc_policy.hpp"
#include "policy/tenant_fields.hpp"
#include "support/engine_driver.hpp"

namespace exosim::policy::exo {
namespace {

namespace fs = std::filesystem;
using namespace testing;

const fs::path golden_dir = EXOSIM_GOLDEN_DIR;

// ---- The file format ----------------------------------------------------------------------------

// "\\" and "\xNN" stand for a backslash and any octet outside printable ASCII.
std::string escape(std::string_view bytes) {
    std::string out;
    for (char c : bytes) {
        const auto b = static_cast<unsigned char>(c);
        if (c == '\\') {
            out += "\\\\";
        } else if (b < 0x20 || b >= 0x7f) {
            out += "\\x";
            core::ascii::append_hex(out, b);
        } else {
            out += c;
        }
    }
    return out;
}

int hex_value(char c) {
    if (core::ascii::is_digit(c)) return c - '0';
    return core::ascii::to_upper(c) - 'A' + 10;
}

std::string unescape(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == '\\') {
            out += '\\';
            ++i;
        } else if (text[i] == '\\' && i + 3 < text.size() && text[i + 1] == 'x' &&
                   core::ascii::is_hex(text[i + 2]) && core::ascii::is_hex(text[i + 3])) {
            out += static_cast<char>(hex_value(text[i + 2]) * 16 + hex_value(text[i + 3]));
            i += 3;
        } else {
            out += text[i];
        }
    }
    return out;
}

struct Transcript {
    std::vector<std::string> header;   // "#" comments and "@ key value" directives, verbatim
    std::vector<std::string> client;   // "C: ..." (CRLF added) and "C= ..." (sent as is) lines, verbatim
};

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

Transcript parse(const std::string& text) {
    Transcript t;
    for (const std::string& line : lines_of(text)) {
        if (line.starts_with("C: ") || line.starts_with("C= ")) t.client.push_back(line);
        else if (t.client.empty() && (line.starts_with("#") || line.starts_with("@ "))) t.header.push_back(line);
    }
    return t;
}

std::string directive(const Transcript& t, std::string_view key, std::string fallback = "") {
    const std::string prefix = "@ " + std::string(key) + " ";
    for (const std::string& h : t.header) {
        if (h.starts_with(prefix)) return h.substr(prefix.size());
    }
    return fallback;
}

// ---- The session ----------------------------------------------------------------------------------

struct Profile {
    std::string policy;  // an Exchange Online profile name, or "rfc"
    std::string seen;    // the public address the policy sees
};

// One directory of tests/golden per Exchange Online front door (policy/exchange_online/factory.*).
Profile profile_for(const std::string& dir) {
    if (dir == "exo-submission") return {"exo-submission", "192.0.2.1"};
    if (dir == "exo-legacy") return {"exo-legacy", "192.0.2.1"};
    if (dir == "direct-send") return {"exo-mx", "192.0.2.1"};
    if (dir == "relay-connector") return {"exo-mx", "203.0.113.10"};  // the contoso-devices connector
    if (dir == "rfc") return {"rfc", "192.0.2.1"};
    throw std::invalid_argument("tests/golden/" + dir + ": no such profile");
}

core::TlsVersion tls_version(const std::string& name) {
    if (name == "tls1_0") return core::TlsVersion::tls1_0;
    if (name == "tls1_1") return core::TlsVersion::tls1_1;
    if (name == "tls1_3") return core::TlsVersion::tls1_3;
    return core::TlsVersion::tls1_2;
}

std::unique_ptr<core::SessionPolicy> make_policy(const Profile& p, const Transcript& t, Fixture& fx,
                                                 const core::ConnectionInfo& c) {
    if (p.policy == "rfc") {
        RfcPolicyConfig cfg;
        cfg.hostname = "mx.test";
        cfg.accounts = {{"user", "pass"}};
        cfg.size_limit = std::stoull(directive(t, "max-message-size", "157286400"));
        cfg.engine.max_recipients = std::stoul(directive(t, "recipients-per-message", "1000"));
        return std::make_unique<RfcPolicy>(cfg);
    }
    fx.settings.max_message_size = std::stoull(directive(t, "max-message-size", "157286400"));
    fx.settings.mx_max_recipients_per_domain = std::stoul(directive(t, "mx-recipients-per-domain", "200"));
    for (Tenant& tenant : fx.directory->tenants) {
        tenant.settings.recipients_per_message =
            std::stoul(directive(t, "recipients-per-message", std::to_string(tenant.settings.recipients_per_message)));
        // "@ tenant <setting> <value>": a tenant setting by its tenant_fields name, on every tenant.
        for (const std::string& h : t.header) {
            if (!h.starts_with("@ tenant ")) continue;
            const std::string rest = h.substr(9);
            const std::size_t sp = rest.find(' ');
            set_tenant_setting(tenant.settings, rest.substr(0, sp), sp == std::string::npos ? "" : rest.substr(sp + 1));
        }
    }
    return make_exo_policy(p.policy, fx.env(), c);
}

// {b64:text} is base64 of text; {xoauth2:user} the XOAUTH2 initial response (RFC 7628-style
// "user=..^Aauth=Bearer <token>^A^A") with a token the fixture's sign-in service mints on its clock.
std::string expand(std::string line, Fixture& fx) {
    for (std::size_t open; (open = line.find('{')) != std::string::npos;) {
        const std::size_t close = line.find('}', open);
        if (close == std::string::npos) break;
        const std::string body = line.substr(open + 1, close - open - 1);
        std::string value;
        if (body.starts_with("b64:")) {
            value = core::base64_encode(body.substr(4));
        } else if (body.starts_with("xoauth2:")) {
            const std::string user = body.substr(8);
            const std::string token = fx.with_identity().mint(user, std::chrono::seconds(3600));
            value = core::base64_encode("user=" + user + "\x01" "auth=Bearer " + token + "\x01\x01");
        } else {
            break;
        }
        line.replace(open, close - open + 1, value);
    }
    return line;
}

// The log entries since `from`, as transcript lines.
void render_actions(const test::EngineDriver& d, std::size_t from, std::string& out) {
    for (std::size_t i = from; i < d.log.size(); ++i) {
        const std::string& entry = d.log[i];
        if (!entry.starts_with("write ") && !entry.starts_with("raw ")) {
            out += "-- " + entry + "\n";
            continue;
        }
        std::string_view bytes(entry);
        bytes.remove_prefix(bytes.find(' ') + 1);
        for (std::size_t end; (end = bytes.find("\r\n")) != std::string_view::npos; bytes.remove_prefix(end + 2)) {
            out += "S: " + escape(bytes.substr(0, end)) + "\n";
        }
        if (!bytes.empty()) out += "S= " + escape(bytes) + "\n";
    }
}

std::string replay(const std::string& profile_dir, const Transcript& t) {
    const Profile p = profile_for(profile_dir);
    Fixture fx;
    fx.with_identity();  // XOAUTH2 verifies with the sign-in service, as in `exosim serve`
    core::ConnectionInfo c;
    c.session_id = session_id;
    c.listener = profile_dir;
    c.client_address = "127.0.0.1";
    c.seen_address = directive(t, "seen", p.seen);
    auto policy = make_policy(p, t, fx, c);
    core::Engine engine(*policy, c);
    test::DriverOptions options;
    options.tls = core::TlsInfo{tls_version(directive(t, "tls", "tls1_2")), "ECDHE-RSA-AES256-GCM-SHA384", {}, false};
    options.store_id = [](std::size_t n) { return "store-" + std::to_string(n); };
    test::EngineDriver driver(engine, options);

    std::string out;
    for (const std::string& h : t.header) out += h + "\n";
    engine.start();
    driver.drain();
    render_actions(driver, 0, out);
    for (const std::string& line : t.client) {
        if (driver.closed) break;
        out += line + "\n";
        std::string bytes = expand(unescape(line.substr(3)), fx);
        if (line.starts_with("C: ")) bytes += "\r\n";
        const std::size_t from = driver.log.size();
        driver.feed(bytes);
        render_actions(driver, from, out);
    }
    return out;
}

// ---- The runner ---------------------------------------------------------------------------------

std::vector<std::string> golden_files() {
    std::vector<std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(golden_dir)) {
        if (e.is_regular_file() && e.path().extension() == ".smtp") {
            out.push_back(fs::relative(e.path(), golden_dir).generic_string());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

class Golden : public ::testing::TestWithParam<std::string> {};

TEST_P(Golden, TranscriptMatches) {
    const fs::path file = golden_dir / GetParam();
    const std::string expected = slurp(file);
    const Transcript t = parse(expected);
    ASSERT_FALSE(t.client.empty()) << file << ": no C: lines";
    const std::string actual = replay(fs::path(GetParam()).parent_path().generic_string(), t);
    const char* update = std::getenv("EXOSIM_UPDATE_GOLDEN");
    if (update != nullptr && std::string(update) == "1") {
        if (actual != expected) std::ofstream(file, std::ios::binary) << actual;
        return;
    }
    EXPECT_EQ(actual, expected) << file << " differs; EXOSIM_UPDATE_GOLDEN=1 rewrites it (review the diff)";
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
    std::string name;
    for (char c : info.param) name += core::ascii::is_alnum(c) ? c : '_';
    return name;
}

INSTANTIATE_TEST_SUITE_P(Transcripts, Golden, ::testing::ValuesIn(golden_files()), test_name);

TEST(GoldenFormat, EscapesRoundTrip) {
    const std::string bytes("a\\b\x01\x7f\xff c", 8);
    EXPECT_EQ(escape(bytes), "a\\\\b\\x01\\x7f\\xff c");
    EXPECT_EQ(unescape(escape(bytes)), bytes);
    EXPECT_EQ(unescape("\\x4"), "\\x4");  // incomplete escapes stay literal
}

TEST(GoldenFormat, ThereAreAtLeastThirtyTranscripts) { EXPECT_GE(golden_files().size(), 30u); }

}  // namespace
}  // namespace exosim::policy::exo
