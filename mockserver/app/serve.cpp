#include "app/serve.hpp"

#include <iostream>
#include <system_error>

#include "app/profiles.hpp"
#include "store/message_store.hpp"
#include "transport/certs.hpp"
#include "transport/registry.hpp"
#include "transport/server.hpp"
#include "transport/transcript_sink.hpp"

namespace exosim::app {

namespace {

AppConfig effective_config(const ServeOptions& options) {
    AppConfig config = load_config(options.config_file);
    apply_overrides(config, options);
    validate(config);
    return config;
}

bool pure_default(const ServeOptions& o) {
    return !o.config_file && !o.data_dir && !o.bind && !o.real_ports && !o.ephemeral_ports && !o.capture &&
           !o.threads;
}

int run_server(const AppConfig& config) {
    std::error_code ec;
    std::filesystem::create_directories(config.data_dir, ec);
    if (ec) {
        std::cerr << "exosim: cannot create data dir " << config.data_dir << ": " << ec.message() << "\n";
        return 1;
    }
    std::filesystem::path data_dir = std::filesystem::absolute(config.data_dir).lexically_normal();

    transport::CertificateAuthority ca(data_dir / "tls");
    ca.ensure_defaults();
    std::cout << "CA certificate: " << ca.ca_file().string() << "\n";

    store::MessageStore store(data_dir, config.capture);
    transport::SessionRegistry registry;
    transport::ServerOptions so;
    so.listeners = config.listeners;
    so.threads = config.threads;
    so.policy_factory = make_policy_factory(config);
    so.seen_address = [map = config.address_map](std::string_view a) { return map.seen(a); };
    so.store = &store;
    so.registry = &registry;
    so.ca = &ca;
    so.sink_factory = transport::transcript_sink_factory(data_dir, config.capture);
    so.handle_signals = true;

    transport::Server server(std::move(so));
    server.start();
    for (const auto& l : server.listeners()) std::cout << transport::listening_line(l) << "\n";
    std::cout << "ready" << std::endl;
    server.wait_for_signal();
    std::cout << "shutting down (" << server.active_sessions() << " sessions open)" << std::endl;
    server.shutdown();
    std::cout << "stopped" << std::endl;
    return 0;
}

}  // namespace

int serve(const ServeOptions& options) {
    try {
        if (options.print_config) {
            if (pure_default(options)) std::cout << embedded_default_config();
            else std::cout << to_yaml(effective_config(options));
            return 0;
        }
        return run_server(effective_config(options));
    } catch (const ConfigError& e) {
        std::cerr << "exosim: configuration error: " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "exosim: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace exosim::app
