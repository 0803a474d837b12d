#include "options.hpp"

#include <boost/asio/ip/address.hpp>

#include <charconv>
#include <cstdio>
#include <iostream>
#include <string_view>

namespace loadgen {
namespace {

constexpr const char* usage = R"(usage: smtp-loadgen [options]
  --host ADDR            server address, 127.0.0.0/8 only (default 127.0.0.1; "localhost" ok)
  --port N               server port (default 25)
  --sessions N           concurrent sessions (default 1)
  --messages N           total messages (default 100)
  --size BYTES           message size, headers included (default 1024)
  --per-connection K     messages per connection, 0 = keep the connection (default 1)
  --tls none|starttls    (default none)
  --tls-min V --tls-max V  TLS versions 1.0 1.1 1.2 1.3 (default 1.2 / 1.3)
  --tls-version V        shorthand for --tls-min V --tls-max V
  --verify               verify the server certificate (default off)
  --ca FILE              trust anchor for --verify
  --sni NAME             server name in ClientHello
  --user U --password P  AUTH LOGIN after EHLO (after STARTTLS when TLS)
  --user U --xoauth2-token T  AUTH XOAUTH2 with bearer token T instead (RFC 7628 / Google's form)
  --max-seconds S        whole-run time cap (default 60)
  --io-timeout S         per read/write timeout (default 30)
  --from ADDR --to ADDR --helo NAME
  --label TEXT           copied into the JSON result
Prints one JSON line: messages/s, elapsed, errors, latency percentiles.
)";

bool is_loopback(const std::string& host) {
    if (host == "localhost") return true;
    boost::system::error_code ec;
    auto addr = boost::asio::ip::make_address(host, ec);
    if (ec) return false;
    if (addr.is_v4()) return (addr.to_v4().to_uint() >> 24) == 127;
    auto v6 = addr.to_v6();
    if (v6.is_v4_mapped())
        return (boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).to_uint() >> 24) == 127;
    return false;
}

template <class T>
bool number(std::string_view text, T& out) {
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && p == text.data() + text.size();
}

bool is_tls_version(const std::string& v) { return v == "1.0" || v == "1.1" || v == "1.2" || v == "1.3"; }

}  // namespace

std::optional<Options> parse_options(int argc, char** argv, int& exit_code) {
    Options o;
    exit_code = 2;
    auto fail = [&](const std::string& why) -> std::optional<Options> {
        std::cerr << "smtp-loadgen: " << why << "\n";
        return std::nullopt;
    };
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        if (a == "--help" || a == "-h") {
            std::cout << usage;
            exit_code = 0;
            return std::nullopt;
        }
        if (a == "--verify") { o.verify = true; continue; }
        if (i + 1 >= argc) return fail("missing value for " + std::string(a));
        std::string v = argv[++i];
        bool ok = true;
        if (a == "--host") o.host = v;
        else if (a == "--port") ok = number(v, o.port) && o.port != 0;
        else if (a == "--sessions") ok = number(v, o.sessions) && o.sessions > 0 && o.sessions <= 60000;
        else if (a == "--messages") ok = number(v, o.messages) && o.messages > 0;
        else if (a == "--size") ok = number(v, o.size) && o.size <= (1u << 30);
        else if (a == "--per-connection") ok = number(v, o.per_connection) && o.per_connection >= 0;
        else if (a == "--tls") {
            if (v == "none" || v == "plain") o.tls = TlsMode::none;
            else if (v == "starttls") o.tls = TlsMode::starttls;
            else ok = false;
        }
        else if (a == "--tls-min") { o.tls_min = v; ok = is_tls_version(v); }
        else if (a == "--tls-max") { o.tls_max = v; ok = is_tls_version(v); }
        else if (a == "--tls-version") { o.tls_min = o.tls_max = v; ok = is_tls_version(v); }
        else if (a == "--ca") o.ca_file = v;
        else if (a == "--sni") o.sni = v;
        else if (a == "--user") o.user = v;
        else if (a == "--password") o.password = v;
        else if (a == "--xoauth2-token") o.xoauth2_token = v;
        else if (a == "--max-seconds") ok = (o.max_seconds = std::atof(v.c_str())) > 0;
        else if (a == "--io-timeout") ok = (o.io_timeout = std::atof(v.c_str())) > 0;
        else if (a == "--from") o.from = v;
        else if (a == "--to") o.to = v;
        else if (a == "--helo") o.helo = v;
        else if (a == "--label") o.label = v;
        else return fail("unknown option " + std::string(a) + " (see --help)");
        if (!ok) return fail("bad value for " + std::string(a) + ": " + v);
    }
    if (!is_loopback(o.host))
        return fail("refusing " + o.host + ": only 127.0.0.0/8 (or \"localhost\") is allowed");
    if (o.tls_min > o.tls_max) return fail("--tls-min is above --tls-max");
    if (!o.user.empty() && o.password.empty() && o.xoauth2_token.empty())
        return fail("--user needs --password or --xoauth2-token");
    if (!o.xoauth2_token.empty() && (o.user.empty() || !o.password.empty()))
        return fail("--xoauth2-token needs --user and excludes --password");
    return o;
}

}  // namespace loadgen
