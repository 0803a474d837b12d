#include "app/identity_listener.hpp"

#include <algorithm>
#include <thread>

#include <boost/asio/ssl/context.hpp>
#include <boost/json.hpp>

#include "transport/tls_context.hpp"

namespace exosim::app {

namespace {

// Token and sign-in requests are small forms; a client assertion with an x5c chain stays well
// under this (the protocol core has its own, tighter form limits).
constexpr std::size_t identity_body_limit = 64 * 1024;
// More than the control API's 64: a lab of devices plus whatever slow connections shedding keeps.
constexpr std::size_t identity_max_connections = 256;

// Handler threads: twice the cores (at least 4). Signing is CPU (RS256, ~0.3 ms), a refresh grant
// waits for its record's fdatasync; more handlers than cores let waiting grants share one commit
// (store::Journal's group commit) while the others sign.
unsigned identity_handler_threads() { return std::max(4u, 2 * std::thread::hardware_concurrency()); }

identity::HttpResponse json_error(unsigned status, const std::string& error, const std::string& description) {
    identity::HttpResponse r;
    r.status = status;
    r.headers = {{"Content-Type", "application/json; charset=utf-8"}, {"Cache-Control", "no-store, no-cache"}};
    r.body = boost::json::serialize(boost::json::object{{"error", error}, {"error_description", description}});
    return r;
}

}  // namespace

identity::HttpResponse identity_not_found(const identity::HttpRequest& request) {
    std::string path = request.target.substr(0, request.target.find('?'));
    return json_error(404, "not_found", "exosim: no sign-in endpoint at " + path);
}

IdentityParts make_identity_parts(const std::filesystem::path& data_dir, const ExchangeRuntime& exchange,
                                  transport::CertificateAuthority& ca) {
    IdentityParts parts;
    parts.scan_daemon_cert = ca.app_cert(scan_daemon_client_id, scan_daemon_name);
    parts.crypto = std::make_shared<transport::IdentityCrypto>(data_dir / "tls");
    parts.log = std::make_shared<JournalLog>(data_dir / "identity" / "refresh-tokens.log");
    parts.clock = exchange.clock();
    return parts;
}

std::unique_ptr<control::HttpService> start_identity_listener(const AppConfig& config,
                                                              transport::CertificateAuthority& ca,
                                                              control::HttpHandler handler) {
    if (!config.identity.enabled) return nullptr;
    transport::TlsSettings tls;
    tls.mode = transport::TlsMode::implicit;
    tls.min = core::TlsVersion::tls1_2;
    tls.max = core::TlsVersion::tls1_3;
    tls.certificate = transport::CertificateAuthority::signin_names().front();
    control::HttpServiceOptions o;
    o.name = "identity";
    o.address = config.identity.address;
    o.port = config.identity.port;
    o.limits.max_connections = identity_max_connections;
    o.limits.body_limit = identity_body_limit;
    o.tls = transport::make_server_context(tls, ca.signin_cert(), ca.ca_file());
    o.handler = std::move(handler);
    o.handler_threads = identity_handler_threads();
    o.error_page = [](unsigned status, std::string_view reason) {
        return json_error(status, "invalid_request", std::string(reason));
    };
    auto service = std::make_unique<control::HttpService>(std::move(o));
    service->start();
    return service;
}

std::string identity_listening_line(const control::HttpService& service) {
    std::string hosts;
    for (const std::string& name : transport::CertificateAuthority::signin_names()) hosts += (hosts.empty() ? "" : ",") + name;
    return "listening identity " + service.address() + ":" + std::to_string(service.port()) +
           " protocol=https tls=1.2-1.3 hosts=" + hosts;
}

}  // namespace exosim::app
