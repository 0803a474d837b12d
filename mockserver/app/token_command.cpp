#include "app/token_command.hpp"

#include <filesystem>
#include <iostream>

#include <boost/program_options.hpp>

#include "app/cli.hpp"
#include "app/exchange_runtime.hpp"
#include "app/identity_runtime.hpp"
#include "transport/certs.hpp"

namespace exosim::app {

namespace po = boost::program_options;

namespace {

po::options_description token_description() {
    po::options_description d("exosim token --user ADDRESS | --app-only --tenant DOMAIN [options]\n"
                              "An RS256 access token from the sign-in service's keys under the data dir,\n"
                              "exactly as the token endpoint issues it (XOAUTH2 on the submission endpoint)");
    d.add_options()
        ("help,h", "this text")
        ("user,u", po::value<std::string>(), "delegated token for this user (XOAUTH2 user=)")
        ("app-only", "app-only token (roles SMTP.SendAsApp) of --client-id in --tenant")
        ("client-id", po::value<std::string>(), "the app (default: Contoso Print Fleet / Contoso Scan Daemon)")
        ("tenant", po::value<std::string>(), "tenant domain or id (app-only)")
        ("ttl", po::value<long long>()->default_value(3600), "lifetime in seconds")
        ("audience", po::value<std::string>(), "aud claim (default: https://outlook.office.com, app-only https://outlook.office365.com)")
        ("config,c", po::value<std::string>(), "YAML configuration file (for data_dir)")
        ("data-dir,d", po::value<std::string>(), "data directory holding the signing keys (tls/identity-signing); overrides data_dir");
    return d;
}

}  // namespace

int token_command(const std::vector<std::string>& args) {
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(token_description()).run(), vm);
        po::notify(vm);
        if (vm.count("help")) {
            std::cout << token_description();
            return 0;
        }
        if (!vm.count("user") && !vm.count("app-only")) throw UsageError("--user or --app-only is required");
        if (vm.count("user") && vm.count("app-only")) throw UsageError("--user and --app-only exclude each other");
        if (vm.count("app-only") && !vm.count("tenant")) throw UsageError("--app-only needs --tenant");
        if (vm["ttl"].as<long long>() <= 0) throw UsageError("--ttl must be above 0");
    } catch (const po::error& e) {
        std::cerr << "exosim token: " << e.what() << "\n(see exosim token --help)\n";
        return 2;
    } catch (const UsageError& e) {
        std::cerr << "exosim token: " << e.what() << "\n(see exosim token --help)\n";
        return 2;
    }
    try {
        std::optional<std::filesystem::path> file;
        if (vm.count("config")) file = vm["config"].as<std::string>();
        AppConfig config = load_config(file);
        if (vm.count("data-dir")) config.data_dir = vm["data-dir"].as<std::string>();
        validate(config);  // a directory that cannot be served is a configuration error (exit 1)
        const std::filesystem::path data_dir = std::filesystem::absolute(config.data_dir).lexically_normal();
        ExchangeRuntime runtime(config);
        transport::CertificateAuthority ca(data_dir / "tls");
        IdentityRuntime identity(config, data_dir, runtime, ca);
        identity::MintRequest request;
        if (vm.count("user")) request.user = vm["user"].as<std::string>();
        if (vm.count("client-id")) request.client_id = vm["client-id"].as<std::string>();
        if (vm.count("tenant")) request.tenant = vm["tenant"].as<std::string>();
        if (vm.count("audience")) request.audience = vm["audience"].as<std::string>();
        request.lifetime = std::chrono::seconds(vm["ttl"].as<long long>());
        const identity::MintResult r = identity.service().mint(request);
        if (r.status != identity::ControlStatus::ok)
            throw std::invalid_argument("cannot mint a token: " + std::string(identity::control_status_name(r.status)));
        std::cout << r.access_token << "\n";
        return 0;
    } catch (const ConfigError& e) {
        std::cerr << "exosim token: configuration error: " << e.what() << "\n";
        return 1;
    } catch (const std::invalid_argument& e) {
        std::cerr << "exosim token: " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "exosim token: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace exosim::app
