// smtp-loadgen: drives an SMTP server on loopback with N concurrent sessions and prints one JSON
// line with throughput, errors and latency percentiles. See bench/README.md.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include <openssl/ssl.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "options.hpp"
#include "session.hpp"

namespace {

namespace ssl = boost::asio::ssl;

int tls_version_constant(const std::string& v) {
    if (v == "1.0") return TLS1_VERSION;
    if (v == "1.1") return TLS1_1_VERSION;
    if (v == "1.2") return TLS1_2_VERSION;
    return TLS1_3_VERSION;
}

ssl::context make_tls_context(const loadgen::Options& opt) {
    ssl::context ctx(ssl::context::tls_client);
    // TLS 1.0/1.1 are refused at OpenSSL 3's default security level 1; lower it only if asked.
    if (opt.tls_min < "1.2") SSL_CTX_set_security_level(ctx.native_handle(), 0);
    SSL_CTX_set_min_proto_version(ctx.native_handle(), tls_version_constant(opt.tls_min));
    SSL_CTX_set_max_proto_version(ctx.native_handle(), tls_version_constant(opt.tls_max));
    if (opt.verify) {
        ctx.set_verify_mode(ssl::verify_peer);
        if (!opt.ca_file.empty()) ctx.load_verify_file(opt.ca_file);
        else ctx.set_default_verify_paths();
    } else {
        ctx.set_verify_mode(ssl::verify_none);
    }
    return ctx;
}

std::string json_string(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') { out += '\\'; out += c; }
        else if ((unsigned char)c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else out += c;
    }
    return out + "\"";
}

// Nearest-rank percentile in milliseconds; 0 for an empty sample.
double percentile_ms(std::vector<std::uint32_t>& v, double p) {
    if (v.empty()) return 0;
    std::size_t k = static_cast<std::size_t>(p / 100.0 * (v.size() - 1) + 0.5);
    std::nth_element(v.begin(), v.begin() + k, v.end());
    return v[k] / 1000.0;
}

std::string percentiles(std::vector<std::uint32_t> v) {
    std::ostringstream o;
    o.setf(std::ios::fixed);
    o.precision(3);
    o << "{\"p50\":" << percentile_ms(v, 50) << ",\"p90\":" << percentile_ms(v, 90)
      << ",\"p99\":" << percentile_ms(v, 99) << ",\"max\":" << percentile_ms(v, 100) << "}";
    return o.str();
}

double cpu_seconds() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
    int exit_code = 0;
    auto opt = loadgen::parse_options(argc, argv, exit_code);
    if (!opt) return exit_code;

    // Each session holds one descriptor; leave headroom.
    rlimit rl{};
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }

    try {
        boost::asio::io_context io(1);
        std::optional<ssl::context> tls;
        if (opt->tls == loadgen::TlsMode::starttls) tls.emplace(make_tls_context(*opt));
        auto res = loadgen::run_load(io, *opt, tls ? &*tls : nullptr);

        long errors = 0;
        for (auto& [k, n] : res.errors) errors += n;
        double rate = res.elapsed_s > 0 ? res.messages_ok / res.elapsed_s : 0;
        std::ostringstream o;
        o.setf(std::ios::fixed);
        o.precision(3);
        o << "{\"tool\":\"smtp-loadgen\",\"label\":" << json_string(opt->label)
          << ",\"host\":" << json_string(opt->host) << ",\"port\":" << opt->port
          << ",\"tls\":\"" << (opt->tls == loadgen::TlsMode::starttls ? "starttls" : "none") << "\""
          << ",\"tls_protocol\":" << json_string(res.tls_protocol)
          << ",\"tls_cipher\":" << json_string(res.tls_cipher)
          << ",\"auth\":" << (opt->user.empty() ? "false" : opt->xoauth2_token.empty() ? "\"login\"" : "\"xoauth2\"")
          << ",\"sessions\":" << opt->sessions << ",\"size\":" << opt->size
          << ",\"per_connection\":" << opt->per_connection
          << ",\"messages_requested\":" << opt->messages << ",\"messages_ok\":" << res.messages_ok
          << ",\"messages_failed\":" << res.messages_failed << ",\"messages_aborted\":" << res.messages_aborted
          << ",\"errors\":" << errors << ",\"connections\":" << res.connections
          << ",\"connections_failed\":" << res.connections_failed
          << ",\"timed_out\":" << (res.timed_out ? "true" : "false")
          << ",\"elapsed_s\":" << res.elapsed_s << ",\"msgs_per_s\":" << rate
          << ",\"mib_per_s\":" << rate * opt->size / (1024.0 * 1024.0)
          << ",\"latency_ms\":" << percentiles(std::move(res.latency_us))
          << ",\"setup_ms\":" << percentiles(std::move(res.setup_us))
          << ",\"client_cpu_s\":" << cpu_seconds() << ",\"error_kinds\":{";
        bool first = true;
        for (auto& [k, n] : res.errors) {
            o << (first ? "" : ",") << json_string(k) << ":" << n;
            first = false;
        }
        o << "},\"first_error\":" << json_string(res.first_error) << "}";
        std::cout << o.str() << std::endl;
        return (errors == 0 && res.messages_failed == 0 && !res.timed_out) ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << "smtp-loadgen: " << e.what() << "\n";
        return 2;
    }
}
