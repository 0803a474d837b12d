// `exosim certify`'s in-process server and how the run loop reaches it.
#include "app/certify_server.hpp"

#include <map>

#include "app/cli.hpp"
#include "app/profiles.hpp"
#include "app/server_options.hpp"
#include "harness/command_template.hpp"

namespace exosim::app {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

namespace {

fs::path absolute_dir(const fs::path& dir) {
    fs::create_directories(dir);
    return fs::absolute(dir).lexically_normal();
}

fs::path sibling_client() {
    std::error_code ec;
    fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return "exosim-client";
    return self.parent_path() / "exosim-client";
}

// Listener -> the name its generated certificate is issued for (what {servername} defaults to).
std::map<std::string, std::string> certificate_names(const AppConfig& config) {
    std::map<std::string, std::string> names;
    for (const auto& l : effective_listeners(config)) {
        if (!l.tls.cert_file.empty()) continue;
        std::string n = l.tls.certificate;
        // A wildcard certificate: a name it covers, the way a tenant's MX host is named.
        if (n.rfind("*.", 0) == 0) n = "contoso-com" + n.substr(1);
        names[l.name] = n;
    }
    return names;
}

void set_trigger(harness::RunnerOptions& ro, const CertifyOptions& o) {
    if (o.client) {
        ro.mode = harness::TriggerMode::client;
        ro.command = *o.client;
        harness::check_template(ro.command);  // unknown placeholders are usage errors
        // {client_cert}/{client_key} stay empty unless the scenario's send.client_certificate asks
        // for one: a certificate presented in every scenario would turn direct send into relay.
    } else if (o.manual) {
        ro.mode = harness::TriggerMode::manual;
    } else {
        ro.mode = harness::TriggerMode::url;
        ro.trigger_url = *o.trigger_url;
        ro.trigger_method = o.trigger_method;
    }
}

}  // namespace

CertifyServer::CertifyServer(AppConfig config, const fs::path& data_dir, std::optional<fs::path> evidence_dir)
    : config_(std::move(config)),
      data_dir_(absolute_dir(data_dir)),
      ca_(data_dir_ / "tls"),
      exchange_((config_.data_dir = data_dir_, ca_.ensure_defaults(), std::make_shared<ExchangeRuntime>(config_))),
      store_(data_dir_, config_.capture),
      slot_(registry_, tenant_overrides(exchange_)),
      identity_(std::make_unique<CertifyIdentity>(config_, data_dir_, *exchange_, ca_, slot_)) {
    transport::ServerOptions so = server_options(config_, exchange_, store_, registry_, ca_, slot_);
    so.shutdown_grace = std::chrono::seconds(2);
    if (evidence_dir) so.evidence_dir = *evidence_dir;
    server_ = std::make_unique<transport::Server>(std::move(so));
    server_->start();
}

void CertifyServer::prepare(const scenario::Scenario& s) {
    exchange_->reset();
    identity_->reset();
    transport::CertVariant variant;
    if (s.server.tls.certificate == scenario::CertificateKind::valid ||
        !transport::parse_cert_variant(scenario::certificate_kind_name(s.server.tls.certificate), variant))
        return;
    for (const auto& l : effective_listeners(config_)) {
        if (l.name != s.endpoint || l.tls.mode == transport::TlsMode::none) continue;
        try {
            ca_.server_cert(l.tls.certificate, variant);
        } catch (const std::exception&) {
            // the session hook meets the same problem and makes it the scenario's error
        }
    }
}

CertifyServer::~CertifyServer() {
    server_->shutdown();
    server_.reset();
    identity_.reset();
}

void seed_tls_dir(const fs::path& from, const fs::path& to) {
    fs::create_directories(to);
    fs::permissions(to, fs::perms::owner_all, fs::perm_options::replace);
    for (const auto& e : fs::directory_iterator(from)) {
        const std::string ext = e.path().extension().string();
        if (e.is_regular_file() && (ext == ".pem" || ext == ".key"))
            fs::copy_file(e.path(), to / e.path().filename(), fs::copy_options::overwrite_existing);
    }
    for (const char* sub : {"identity-signing", "apps"})
        if (fs::is_directory(from / sub))
            fs::copy(from / sub, to / sub, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
}

void seed_run_keys(const fs::path& tls_dir) {
    transport::CertificateAuthority ca(tls_dir);
    ca.ensure_defaults();
    transport::IdentityCrypto keys(tls_dir);  // creates and persists the signing key
    ca.app_cert(scan_daemon_client_id, scan_daemon_name);
}

AppConfig certify_config(const CertifyOptions& o) {
    AppConfig config = load_config(o.config_file);
    if (!o.config_file) {
        config.capture = store::CaptureMode::memory;
        config.exchange.auth_tarpit = milliseconds(0);
    }
    apply_listener_overrides(config, o.bind, o.real_ports);
    if (o.evidence)
        for (auto& l : config.listeners) l.tls.evidence = true;
    // A command runs on this machine and is told the ports; a device is configured by hand.
    if (!o.manual && !o.trigger_url) {
        for (auto& l : config.listeners) l.port = 0;
        config.identity.port = 0;
    }
    validate(config);
    return config;
}

harness::RunnerOptions runner_options(const CertifyOptions& o, CertifyServer& cs, std::ostream* progress) {
    harness::RunnerOptions ro;
    ro.progress = progress;
    ro.ca_file = cs.ca().ca_file();
    ro.exosim_client = sibling_client();
    ro.work_dir = cs.data_dir() / "attachments";
    ro.client_timeout = o.client_timeout;
    ro.attempt_timeout = o.timeout ? milliseconds(*o.timeout) : o.manual ? std::chrono::minutes(5) : std::chrono::minutes(1);
    set_trigger(ro, o);
    ro.endpoint = [&server = cs.server(), names = certificate_names(cs.config())](
                      const std::string& name) -> std::optional<harness::Endpoint> {
        for (const auto& l : server.listeners()) {
            if (l.name != name) continue;
            std::string host = l.address == "0.0.0.0" || l.address.empty() ? "127.0.0.1" : l.address == "::" ? "::1" : l.address;
            auto cert = names.find(name);
            return harness::Endpoint{host, l.port, l.tls_mode != transport::TlsMode::none,
                                     cert == names.end() ? std::string() : cert->second};
        }
        return std::nullopt;
    };
    // send.client_certificate (relay connector by certificate): issued by the local CA, reused.
    ro.client_certificate = [&ca = cs.ca()](const std::string& name) {
        transport::CertFiles cert = ca.client_cert(name);
        return std::make_pair(cert.chain, cert.key);
    };
    ro.mint_token = [exchange = cs.exchange()](const std::string& user) {
        return exchange->mint_token(user, std::chrono::hours(1));
    };
    ro.identity = cs.identity().driver(o.manual, progress, ro.work_dir);
    return ro;
}

}  // namespace exosim::app
