#include "app/serve.hpp"

#include <iostream>
#include <system_error>

#include "app/allocator_tuning.hpp"
#include "app/exchange_runtime.hpp"
#include "app/identity_listener.hpp"
#include "app/identity_runtime.hpp"
#include "app/lab_dns.hpp"
#include "app/packet_capture.hpp"
#include "app/profiles.hpp"
#include "app/server_options.hpp"
#include "control/app_wiring.hpp"
#include "control/config_json.hpp"
#include "control/control_server.hpp"
#include "harness/scenario_slot.hpp"
#include "store/message_store.hpp"
#include "transport/certs.hpp"
#include "transport/dns_server.hpp"
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
           !o.threads && !o.control && !o.no_control && !o.identity && !o.no_identity && !o.evidence;
}

#ifndef EXOSIM_VERSION
#define EXOSIM_VERSION "0.0.0"
#endif

// The control API (mockserver/control) on its own thread, over the objects run_server owns; null
// when disabled. Throws std::runtime_error when its address cannot be bound.
std::unique_ptr<control::ControlServer> start_control(const AppConfig& config, const std::filesystem::path& data_dir,
                                                      store::MessageStore& store, transport::SessionRegistry& registry,
                                                      std::shared_ptr<ExchangeRuntime> exchange,
                                                      harness::ScenarioSlot& slot, IdentityRuntime& identity) {
    if (!config.control.enabled) return nullptr;
    control::ControlServices cs;
    cs.version = EXOSIM_VERSION;
    cs.store = &store;
    cs.registry = &registry;
    cs.data_dir = data_dir;
    cs.capture = config.capture;
    cs.config = [&config] { return control::yaml_to_json(to_yaml(config)); };
    control::bind_exchange_runtime(cs, std::move(exchange));
    control::bind_scenario_slot(cs, slot);
    cs.identity = &identity.service();
    control::HttpServerOptions options;
    options.address = config.control.address;
    options.port = config.control.port;
    auto api = std::make_unique<control::ControlServer>(std::move(options), std::move(cs));
    identity.subscribe(api->identity_observer());
    api->start();
    return api;
}

// serve --dns: the stub on --bind's address (127.0.0.1 by default), answering with that address.
std::unique_ptr<transport::DnsServer> start_dns(const AppConfig& config, const ServeOptions& o) {
    if (!o.dns) return nullptr;
    transport::DnsServerOptions dns;
    dns.address = o.bind.value_or("127.0.0.1");
    dns.port = o.ephemeral_ports ? 0 : o.real_ports ? lab_dns_real_port : lab_dns_port;
    dns.zone = lab_zone(config, dns.address);
    auto server = std::make_unique<transport::DnsServer>(std::move(dns));
    server->start();
    return server;
}

int run_server(const AppConfig& config, const ServeOptions& serve_options) {
    keep_freed_memory_for_reuse();
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
    // The Exchange Online environment (tenants, clock, throttles, tokens) every exo-* session uses.
    auto exchange = std::make_shared<ExchangeRuntime>(config);
    // The sign-in service (issue 14): built before any session, so XOAUTH2 checks its tokens.
    IdentityRuntime identity_runtime(config, data_dir, *exchange, ca);

    store::MessageStore store(data_dir, config.capture);
    transport::SessionRegistry registry;
    // The scenario armed through the control API (issue 4): scripts new sessions, keeps their trace.
    harness::ScenarioSlot slot(registry, tenant_overrides(exchange));
    transport::ServerOptions so = server_options(config, exchange, store, registry, ca, slot);
    so.sink_factory = transport::transcript_sink_factory(data_dir, config.capture);
    so.handle_signals = true;
    if (serve_options.evidence) so.evidence_dir = data_dir / "evidence";

    transport::Server server(std::move(so));
    server.start();
    for (const auto& l : server.listeners()) std::cout << transport::listening_line(l) << "\n";
    auto dns = start_dns(config, serve_options);
    if (dns) std::cout << dns->listening_line() << "\n";
    auto capture = serve_options.evidence ? start_packet_capture(server.listeners(), data_dir / "evidence") : nullptr;
    if (serve_options.evidence) std::cout << "evidence " << (data_dir / "evidence").string() << (capture ? " (pcap: " + capture->file().string() + ")" : " (no dumpcap: no pcap)") << "\n";
    auto control_api = start_control(config, data_dir, store, registry, exchange, slot, identity_runtime);
    if (control_api) std::cout << control_api->listening_line() << "\n";  // before "ready": tests parse it
    std::unique_ptr<control::HttpService> identity;
    if (config.identity.enabled) {
        identity = start_identity_listener(config, ca, identity_runtime.handler());
        std::cout << identity_listening_line(*identity) << "\n";
        for (const auto& line : identity_runtime.startup_lines()) std::cout << line << "\n";
    }
    std::cout << "ready" << std::endl;
    server.wait_for_signal();
    if (identity) identity->stop();
    if (control_api) control_api->stop();
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
        return run_server(effective_config(options), options);
    } catch (const ConfigError& e) {
        std::cerr << "exosim: configuration error: " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "exosim: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace exosim::app
