#include "app/ca_command.hpp"

#include <filesystem>
#include <iostream>
#include <optional>

#include <boost/program_options.hpp>

#include "app/cli.hpp"
#include "app/config.hpp"
#include "transport/certs.hpp"
#include "transport/pkcs12.hpp"

namespace exosim::app {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

po::options_description ca_client_description() {
    po::options_description d("exosim ca client --domain DOMAIN --out DIR [options]");
    d.add_options()
        ("help,h", "this text")
        ("domain", po::value<std::string>(), "the name in the certificate (a connector's certificate_domain)")
        ("out,o", po::value<std::string>(), "directory for DOMAIN.pem, DOMAIN.key, DOMAIN.p12 and ca.pem")
        ("password", po::value<std::string>()->default_value(std::string(default_p12_password)), "the .p12 password")
        ("p12-format", po::value<std::string>()->default_value("modern"),
         "modern (AES-256, SHA-256 MAC) | legacy (3DES, SHA-1 MAC: older devices)")
        ("config,c", po::value<std::string>(), "YAML configuration file (for data_dir)")
        ("data-dir,d", po::value<std::string>(), "data directory holding tls/; overrides data_dir");
    return d;
}

transport::Pkcs12Format p12_format(const std::string& v) {
    if (v == "modern") return transport::Pkcs12Format::modern;
    if (v == "legacy") return transport::Pkcs12Format::legacy;
    throw UsageError("--p12-format: '" + v + "' is not modern or legacy");
}

void copy_over(const fs::path& from, const fs::path& to) { fs::copy_file(from, to, fs::copy_options::overwrite_existing); }

int issue_client(const po::variables_map& vm) {
    std::optional<fs::path> file;
    if (vm.count("config")) file = vm["config"].as<std::string>();
    AppConfig config = load_config(file);
    if (vm.count("data-dir")) config.data_dir = vm["data-dir"].as<std::string>();
    const fs::path data_dir = fs::absolute(config.data_dir).lexically_normal();
    const std::string domain = vm["domain"].as<std::string>();
    const fs::path out = vm["out"].as<std::string>();
    fs::create_directories(out);
    transport::CertificateAuthority ca(data_dir / "tls");
    transport::CertFiles issued = ca.client_cert(domain);
    const std::string stem = transport::CertificateAuthority::safe_name(domain);
    copy_over(issued.chain, out / (stem + ".pem"));
    copy_over(issued.key, out / (stem + ".key"));
    fs::permissions(out / (stem + ".key"), fs::perms::owner_read | fs::perms::owner_write);
    copy_over(ca.ca_file(), out / "ca.pem");
    transport::write_pkcs12(issued, ca.ca_file(), out / (stem + ".p12"), vm["password"].as<std::string>(), domain,
                            p12_format(vm["p12-format"].as<std::string>()));
    for (const char* ext : {".pem", ".key", ".p12"}) std::cout << (out / (stem + ext)).string() << "\n";
    std::cout << (out / "ca.pem").string() << "\n";
    return 0;
}

}  // namespace

int ca_command(const std::vector<std::string>& args) {
    po::variables_map vm;
    try {
        if (args.empty() || args[0] != "client") throw UsageError("expected a subcommand: client");
        po::store(po::command_line_parser(std::vector<std::string>(args.begin() + 1, args.end()))
                      .options(ca_client_description())
                      .run(),
                  vm);
        po::notify(vm);
        if (vm.count("help")) {
            std::cout << ca_client_description();
            return 0;
        }
        if (!vm.count("domain") || vm["domain"].as<std::string>().empty()) throw UsageError("--domain is required");
        if (!vm.count("out")) throw UsageError("--out is required");
        p12_format(vm["p12-format"].as<std::string>());
    } catch (const po::error& e) {
        std::cerr << "exosim ca: " << e.what() << "\n(see exosim ca client --help)\n";
        return 2;
    } catch (const UsageError& e) {
        std::cerr << "exosim ca: " << e.what() << "\n(see exosim ca client --help)\n";
        return 2;
    }
    try {
        return issue_client(vm);
    } catch (const ConfigError& e) {
        std::cerr << "exosim ca: configuration error: " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "exosim ca: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace exosim::app
