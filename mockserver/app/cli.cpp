#include "app/cli.hpp"

#include <iostream>
#include <tuple>

#include <boost/program_options.hpp>

#include "app/certify.hpp"
#include "app/fuzz_client.hpp"
#include "app/report_command.hpp"
#include "app/serve.hpp"
#include "app/ca_command.hpp"
#include "app/token_command.hpp"

#ifndef EXOSIM_VERSION
#define EXOSIM_VERSION "0.0.0"
#endif

namespace exosim::app {

namespace po = boost::program_options;

namespace {

constexpr const char* usage_text =
    "usage: exosim <command> [options]\n"
    "\n"
    "commands:\n"
    "  serve      run the fake Exchange Online SMTP endpoints (exosim serve --help)\n"
    "  token      print an XOAUTH2 token for a mailbox (exosim token --help)\n"
    "  certify    run scenarios against a client and report verdicts (exosim certify --help)\n"
    "  fuzz-client  answer a client with hostile replies, case after case (exosim fuzz-client --help)\n"
    "  report     merge the reports of certify --shard runs (exosim report merge --help)\n"
    "  ca         issue a client certificate from exosim's CA (exosim ca client --help)\n"
    "\n"
    "options:\n"
    "  -h, --help     this text\n"
    "  --version      print the version\n";

po::options_description serve_description() {
    po::options_description d("exosim serve [options]");
    d.add_options()
        ("help,h", "this text")
        ("config,c", po::value<std::string>(), "YAML configuration file (sections replace the embedded default's)")
        ("data-dir,d", po::value<std::string>(), "data directory (messages, sessions, tls); overrides data_dir")
        ("bind", po::value<std::string>(), "listen on ADDR instead of each listener's address")
        ("real-ports", "bind the standard ports: 1587->587, 1025->25, 1465->465, sign-in 1443->443 (others unchanged)")
        ("ephemeral-ports", "bind every listener, the sign-in service and the control API to a free port (port 0); the ports are printed")
        ("control", po::value<std::string>(), "control API on ADDR:PORT (default 127.0.0.1:8025)")
        ("no-control", "do not start the control API")
        ("identity", po::value<std::string>(), "sign-in service (login.microsoftonline.com) on ADDR:PORT (default 127.0.0.1:1443)")
        ("no-identity", "do not start the sign-in service")
        ("capture", po::value<std::string>(), "disk | memory | off; overrides capture")
        ("threads", po::value<std::size_t>(), "I/O threads (0: one per CPU); overrides threads")
        ("print-config", "print the effective configuration as YAML and exit")
        ("dns", "answer DNS for the lab (UDP+TCP 1053, 53 with --real-ports) on --bind's address")
        ("evidence", "keep TLS key logs, ClientHello summaries and a pcap under <data-dir>/evidence");
    return d;
}

// "ADDR:PORT" or "PORT" (on 127.0.0.1) -> an address and port; `option` names the flag in errors.
std::pair<std::string, std::uint16_t> parse_listen_address(const std::string& v, const std::string& option,
                                                           const std::string& example) {
    const std::size_t colon = v.rfind(':');
    std::string address = colon == std::string::npos ? "127.0.0.1" : v.substr(0, colon);
    const std::string port = colon == std::string::npos ? v : v.substr(colon + 1);
    if (address.size() > 2 && address.front() == '[' && address.back() == ']') address = address.substr(1, address.size() - 2);
    const bool digits = !port.empty() && port.size() <= 5 && port.find_first_not_of("0123456789") == std::string::npos;
    if (address.empty() || !digits || std::stoul(port) > 65535)
        throw UsageError(option + ": '" + v + "' is not ADDR:PORT (e.g. " + example + ")");
    return {address, static_cast<std::uint16_t>(std::stoul(port))};
}

std::pair<std::string, std::uint16_t> parse_control_address(const std::string& v) {
    return parse_listen_address(v, "--control", "127.0.0.1:8025");
}

std::pair<std::string, std::uint16_t> parse_identity_address(const std::string& v) {
    return parse_listen_address(v, "--identity", "127.0.0.1:1443");
}

store::CaptureMode parse_capture(const std::string& v) {
    if (v == "disk") return store::CaptureMode::disk;
    if (v == "memory") return store::CaptureMode::memory;
    if (v == "off") return store::CaptureMode::off;
    throw UsageError("--capture: '" + v + "' is not one of disk, memory, off");
}

}  // namespace

ServeOptions parse_serve_options(const std::vector<std::string>& args) {
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(serve_description()).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw UsageError(e.what());
    }
    ServeOptions o;
    o.help = vm.count("help") > 0;
    if (vm.count("config")) o.config_file = vm["config"].as<std::string>();
    if (vm.count("data-dir")) o.data_dir = vm["data-dir"].as<std::string>();
    if (vm.count("bind")) o.bind = vm["bind"].as<std::string>();
    o.real_ports = vm.count("real-ports") > 0;
    o.ephemeral_ports = vm.count("ephemeral-ports") > 0;
    if (o.real_ports && o.ephemeral_ports) throw UsageError("--real-ports and --ephemeral-ports exclude each other");
    if (vm.count("capture")) o.capture = parse_capture(vm["capture"].as<std::string>());
    if (vm.count("control")) o.control = vm["control"].as<std::string>();
    o.no_control = vm.count("no-control") > 0;
    if (o.control && o.no_control) throw UsageError("--control and --no-control exclude each other");
    if (o.control) parse_control_address(*o.control);  // usage error now, not at start-up
    if (vm.count("identity")) o.identity = vm["identity"].as<std::string>();
    o.no_identity = vm.count("no-identity") > 0;
    if (o.identity && o.no_identity) throw UsageError("--identity and --no-identity exclude each other");
    if (o.identity) parse_identity_address(*o.identity);
    if (vm.count("threads")) o.threads = vm["threads"].as<std::size_t>();
    o.print_config = vm.count("print-config") > 0;
    o.dns = vm.count("dns") > 0;
    o.evidence = vm.count("evidence") > 0;
    return o;
}

void apply_overrides(AppConfig& config, const ServeOptions& o) {
    if (o.data_dir) config.data_dir = *o.data_dir;
    if (o.capture) config.capture = *o.capture;
    if (o.threads) config.threads = *o.threads;
    if (o.ephemeral_ports) config.control.port = 0;
    if (o.control) std::tie(config.control.address, config.control.port) = parse_control_address(*o.control);
    if (o.no_control) config.control.enabled = false;
    else if (o.control) config.control.enabled = true;
    apply_listener_overrides(config, o.bind, o.real_ports);
    if (o.ephemeral_ports) {
        for (auto& l : config.listeners) l.port = 0;
        config.identity.port = 0;
    }
    if (o.identity) std::tie(config.identity.address, config.identity.port) = parse_identity_address(*o.identity);
    if (o.no_identity) config.identity.enabled = false;
    else if (o.identity) config.identity.enabled = true;
    if (o.evidence)
        for (auto& l : config.listeners) l.tls.evidence = true;
}

void apply_listener_overrides(AppConfig& config, const std::optional<std::string>& bind, bool real_ports) {
    for (auto& l : config.listeners) {
        if (bind) l.address = *bind;
        // The legacy endpoint (1588) keeps its port: it cannot share 587 with submission.
        if (real_ports) {
            if (l.port == 1587) l.port = 587;
            else if (l.port == 1025) l.port = 25;
            else if (l.port == 1465) l.port = 465;
        }
    }
    // The sign-in service moves like the SMTP listeners: to the lab address, and to 443.
    if (bind) config.identity.address = *bind;
    if (real_ports && config.identity.port == 1443) config.identity.port = 443;
}

int run_cli(int argc, char** argv) {
    std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
    if (args.empty()) {
        std::cerr << usage_text;
        return 2;
    }
    const std::string& command = args.front();
    if (command == "-h" || command == "--help" || command == "help") {
        std::cout << usage_text;
        return 0;
    }
    if (command == "--version") {
        std::cout << "exosim " << EXOSIM_VERSION << "\n";
        return 0;
    }
    if (command == "serve") {
        ServeOptions options;
        try {
            options = parse_serve_options({args.begin() + 1, args.end()});
        } catch (const UsageError& e) {
            std::cerr << "exosim serve: " << e.what() << "\n(see exosim serve --help)\n";
            return 2;
        }
        if (options.help) {
            std::cout << serve_description();
            return 0;
        }
        return serve(options);
    }
    if (command == "token") return token_command({args.begin() + 1, args.end()});
    if (command == "report") return report_command({args.begin() + 1, args.end()});
    if (command == "ca") return ca_command({args.begin() + 1, args.end()});
    if (command == "certify") {
        CertifyOptions options;
        try {
            options = parse_certify_options({args.begin() + 1, args.end()});
        } catch (const UsageError& e) {
            std::cerr << "exosim certify: " << e.what() << "\n(see exosim certify --help)\n";
            return 2;
        }
        if (options.help) {
            std::cout << certify_help();
            return 0;
        }
        return certify(options);
    }
    if (command == "fuzz-client") return fuzz_client_command({args.begin() + 1, args.end()});
    std::cerr << "exosim: unknown command '" << command << "'\n\n" << usage_text;
    return 2;
}

}  // namespace exosim::app
