#include "app/token_command.hpp"

#include <filesystem>
#include <iostream>

#include <boost/program_options.hpp>

#include "app/cli.hpp"
#include "app/exchange_runtime.hpp"

namespace exosim::app {

namespace po = boost::program_options;

namespace {

po::options_description token_description() {
    po::options_description d("exosim token --user ADDRESS [options]");
    d.add_options()
        ("help,h", "this text")
        ("user,u", po::value<std::string>(), "the mailbox the token is for (XOAUTH2 user=)")
        ("ttl", po::value<long long>()->default_value(3600), "lifetime in seconds")
        ("audience", po::value<std::string>()->default_value("https://outlook.office.com"), "aud claim")
        ("config,c", po::value<std::string>(), "YAML configuration file (for data_dir)")
        ("data-dir,d", po::value<std::string>(), "data directory holding tls/token.key; overrides data_dir");
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
        if (!vm.count("user")) throw UsageError("--user is required");
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
        ExchangeRuntime runtime(config, data_dir);
        std::cout << runtime.mint_token(vm["user"].as<std::string>(), std::chrono::seconds(vm["ttl"].as<long long>()),
                                        vm["audience"].as<std::string>())
                  << "\n";
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
