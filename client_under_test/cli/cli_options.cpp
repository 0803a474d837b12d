#include "cli/cli_options.hpp"

#include "cli/oauth_options.hpp"

#include <openssl/ssl.h>
#include <unistd.h>

#include <boost/asio/ip/address.hpp>
#include <boost/program_options.hpp>
#include <sstream>

namespace exosim::client::cli {
namespace {

namespace po = boost::program_options;
using strings = std::vector<std::string>;

po::options_description describe() {
    po::options_description d("exosim-client: submit one message over SMTP");
    d.add_options()("help", "show this help")
        ("server", po::value<std::string>(), "HOST:PORT of the submission server (required)")
        ("source", po::value<std::string>(), "local IP address to connect from (e.g. 127.0.0.10)")
        ("starttls", "upgrade with STARTTLS; refuse to go on without it (default)")
        ("implicit-tls", "TLS from the first byte (RFC 8314, port 465)")
        ("no-tls", "plaintext only")
        ("require-tls", "never send AUTH or MAIL before TLS, whatever else is set")
        ("ca", po::value<std::string>(), "CA file (PEM) to verify the server; default: system store")
        ("servername", po::value<std::string>(), "SNI and the name verified in the certificate; default: the host")
        ("tls-min", po::value<std::string>(), "lowest TLS version: 1.0, 1.1, 1.2, 1.3")
        ("tls-max", po::value<std::string>(), "highest TLS version")
        ("cert", po::value<std::string>(), "client certificate (PEM)")("key", po::value<std::string>(), "client key (PEM)")
        ("auth", po::value<std::string>()->default_value("none"), "login | plain | xoauth2 | none")
        ("user", po::value<std::string>(), "SASL user name")("password", po::value<std::string>(), "password")
        ("token", po::value<std::string>(), "OAuth2 bearer token for XOAUTH2")
        ("from", po::value<std::string>(), "sender address (required)")
        ("to", po::value<strings>()->composing(), "recipient (repeatable)")
        ("cc", po::value<strings>()->composing(), "copy recipient (repeatable)")
        ("bcc", po::value<strings>()->composing(), "blind copy: envelope only (repeatable)")
        ("subject", po::value<std::string>()->default_value(""), "subject (UTF-8)")
        ("body", po::value<std::string>(), "body text")("body-file", po::value<std::string>(), "body from a file")
        ("attach", po::value<strings>()->composing(), "file to attach (repeatable)")
        ("helo", po::value<std::string>(), "EHLO name; default: this host's name")
        ("retries", po::value<int>()->default_value(2), "further attempts after a 4yz or a lost connection")
        ("retry-delay-ms", po::value<int>()->default_value(1000), "first backoff delay, doubled each time")
        ("timeout", po::value<int>(), "cap, in seconds, on every RFC 5321 timeout")
        ("quirk", po::value<strings>()->composing(), "deliberate misbehaviour (repeatable), see quirks.hpp")
        ("verbose", "transcript on stderr, AUTH secrets redacted");
    add_oauth_options(d);
    return d;
}

int tls_version(const po::variables_map& vm, const char* name) {
    if (!vm.count(name)) return 0;
    const std::string& v = vm[name].as<std::string>();
    if (v == "1.0") return TLS1_VERSION;
    if (v == "1.1") return TLS1_1_VERSION;
    if (v == "1.2") return TLS1_2_VERSION;
    if (v == "1.3") return TLS1_3_VERSION;
    throw UsageError(std::string("--") + name + " must be 1.0, 1.1, 1.2 or 1.3");
}

std::string opt(const po::variables_map& vm, const char* name) {
    return vm.count(name) ? vm[name].as<std::string>() : std::string();
}

strings list(const po::variables_map& vm, const char* name) { return vm.count(name) ? vm[name].as<strings>() : strings{}; }

void parse_server(const std::string& server, SessionOptions& s) {
    std::size_t colon = server.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == server.size()) throw UsageError("--server must be HOST:PORT");
    s.host = server.substr(0, colon);
    s.port = server.substr(colon + 1);
    if (s.host.size() > 2 && s.host.front() == '[' && s.host.back() == ']') s.host = s.host.substr(1, s.host.size() - 2);
}

Security security(const po::variables_map& vm) {
    int modes = static_cast<int>(vm.count("starttls") + vm.count("implicit-tls") + vm.count("no-tls"));
    if (modes > 1) throw UsageError("choose one of --starttls, --implicit-tls, --no-tls");
    if (vm.count("implicit-tls")) return Security::implicit;
    if (vm.count("no-tls")) return Security::none;
    return Security::starttls;
}

AuthMechanism auth(const std::string& name) {
    if (name == "login") return AuthMechanism::login;
    if (name == "plain") return AuthMechanism::plain;
    if (name == "xoauth2") return AuthMechanism::xoauth2;
    if (name == "none") return AuthMechanism::none;
    throw UsageError("--auth must be login, plain, xoauth2 or none");
}

std::string host_name() {
    char buf[256] = {};
    if (gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return "localhost";
    return buf;
}

void fill_config(const po::variables_map& vm, Request& r) {
    ClientConfig& c = r.config;
    c.security = security(vm);
    c.require_tls = vm.count("require-tls") > 0;
    if (c.require_tls && c.security == Security::none) throw UsageError("--require-tls contradicts --no-tls");
    const bool oauth = vm.count("oauth") > 0;
    // --oauth means XOAUTH2 with a token of the client's own; the user may come from that token.
    c.auth = oauth ? AuthMechanism::xoauth2 : auth(vm["auth"].as<std::string>());
    if (oauth && !vm["auth"].defaulted() && c.auth != auth(vm["auth"].as<std::string>()))
        throw UsageError("--oauth sends XOAUTH2; --auth must be xoauth2 or left out");
    c.user = opt(vm, "user");
    c.password = opt(vm, "password");
    c.token = opt(vm, "token");
    if (c.auth != AuthMechanism::none && c.user.empty() && !oauth) throw UsageError("--auth needs --user");
    if ((c.auth == AuthMechanism::login || c.auth == AuthMechanism::plain) && !vm.count("password"))
        throw UsageError("--auth login/plain needs --password");
    if (c.auth == AuthMechanism::xoauth2 && c.token.empty() && !oauth)
        throw UsageError("--auth xoauth2 needs --token (or --oauth to get one)");
    if (oauth && !c.token.empty()) throw UsageError("choose one of --token, --oauth");
    c.helo = vm.count("helo") ? opt(vm, "helo") : host_name();
    if (c.helo.empty() || c.helo.find_first_of(" \r\n") != std::string::npos) throw UsageError("bad --helo name");
    for (const std::string& q : list(vm, "quirk")) {
        if (!enable_quirk(c.quirks, q)) throw UsageError("unknown quirk: " + q);
    }
}

void fill_session(const po::variables_map& vm, Request& r) {
    SessionOptions& s = r.session;
    parse_server(opt(vm, "server"), s);
    s.source_address = opt(vm, "source");
    if (vm.count("source")) {
        boost::system::error_code ec;
        boost::asio::ip::make_address(s.source_address, ec);
        if (ec) throw UsageError("--source must be an IP address, not \"" + s.source_address + "\"");
    }
    s.tls.ca_file = opt(vm, "ca");
    s.tls.servername = vm.count("servername") ? opt(vm, "servername") : s.host;
    s.tls.min_version = tls_version(vm, "tls-min");
    s.tls.max_version = tls_version(vm, "tls-max");
    s.tls.cert_file = opt(vm, "cert");
    s.tls.key_file = opt(vm, "key");
    if (s.tls.cert_file.empty() != s.tls.key_file.empty()) throw UsageError("--cert and --key go together");
    s.tls.verify = !r.config.quirks.accept_bad_cert;
    s.retries = vm["retries"].as<int>();
    if (s.retries < 0 || s.retries > 100) throw UsageError("--retries must be 0..100");
    int delay = vm["retry-delay-ms"].as<int>();
    if (delay < 0) throw UsageError("--retry-delay-ms must not be negative");
    s.retry_delay = std::chrono::milliseconds(delay);
    if (vm.count("timeout")) {
        int t = vm["timeout"].as<int>();
        if (t <= 0) throw UsageError("--timeout must be positive");
        s.timeouts.cap(std::chrono::seconds(t));
    }
    s.verbose = vm.count("verbose") > 0;
}

void fill_mail(const po::variables_map& vm, Request& r) {
    r.mail.from = opt(vm, "from");
    r.mail.to = list(vm, "to");
    r.mail.cc = list(vm, "cc");
    r.bcc = list(vm, "bcc");
    r.mail.subject = vm["subject"].as<std::string>();
    r.mail.body = opt(vm, "body");
    r.attach_paths = list(vm, "attach");
    r.body_file = opt(vm, "body-file");
    if (vm.count("body") && vm.count("body-file")) throw UsageError("choose one of --body, --body-file");
    if (r.mail.to.empty() && r.mail.cc.empty() && r.bcc.empty()) throw UsageError("at least one --to, --cc or --bcc");
}

}  // namespace

Request parse_command_line(int argc, const char* const argv[]) {
    po::options_description d = describe();
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(d).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw UsageError(e.what());
    }
    Request r;
    if (vm.count("help")) {
        std::ostringstream text;
        text << d;
        r.help = true;
        r.help_text = text.str();
        return r;
    }
    if (!vm.count("server")) throw UsageError("--server is required");
    if (!vm.count("from")) throw UsageError("--from is required");
    fill_config(vm, r);
    fill_session(vm, r);
    fill_mail(vm, r);
    if (vm.count("oauth")) r.oauth = oauth_options(vm, r.config.quirks, r.session.tls.ca_file);
    return r;
}

}  // namespace exosim::client::cli
