#include "app/identity_runtime.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "identity/identity_directory.hpp"

namespace exosim::app {

namespace {

std::string read_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + file.string());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string app_line(const identity::AppRegistration& app) {
    std::string kind = app.public_client ? "public" : "confidential";
    return "identity app " + app.client_id + " \"" + app.display_name + "\" " + kind;
}

}  // namespace

identity::IdentitySettings identity_settings(const AppConfig& config) {
    identity::IdentitySettings s;
    s.verification_uri = config.identity.verification_uri;
    s.mfa_code = config.identity.mfa_code;
    if (!config.identity.auto_approve_user.empty())
        s.auto_approve = identity::AutoApprove{config.identity.auto_approve_user, config.identity.auto_approve_delay};
    return s;
}

IdentityRuntime::IdentityRuntime(const AppConfig& config, const std::filesystem::path& data_dir,
                                 ExchangeRuntime& exchange, transport::CertificateAuthority& ca,
                                 std::shared_ptr<const policy::Clock> clock,
                                 std::optional<identity::IdentitySettings> settings)
    : parts_(make_identity_parts(data_dir, exchange, ca)) {
    if (clock) parts_.clock = std::move(clock);
    auto mail = exchange.environment()->directory;
    identity::IdentityDirectory directory =
        identity::default_identity_directory(mail, read_file(parts_.scan_daemon_cert.chain));
    service_ = std::make_unique<identity::IdentityService>(
        std::move(directory), parts_.clock, *parts_.crypto, *parts_.log,
        settings ? std::move(*settings) : identity_settings(config),
        [this](const identity::IdentityEvent& e) { observe(e); });
    identity::IdentityService* service = service_.get();
    exchange.attach_tokens(service_->smtp_verifier(), [service](const std::string& user, std::chrono::seconds ttl,
                                                                const std::string& audience) {
        identity::MintRequest request;
        request.user = user;
        request.audience = audience;
        request.lifetime = ttl;
        return identity::mint_or_throw(*service, request);
    });
}

control::HttpHandler IdentityRuntime::handler() {
    identity::IdentityService* service = service_.get();
    return [service](identity::HttpRequest request) { return service->handle(request); };
}

void IdentityRuntime::subscribe(Observer observer) {
    std::lock_guard lock(observers_mutex_);
    observers_.push_back(std::move(observer));
}

void IdentityRuntime::observe(const identity::IdentityEvent& event) {
    std::vector<Observer> observers;
    {
        std::lock_guard lock(observers_mutex_);
        observers = observers_;
    }
    for (const auto& o : observers) o(event);
}

std::vector<std::string> IdentityRuntime::startup_lines() const {
    std::vector<std::string> lines;
    const identity::IdentityDirectory d = service_->directory();
    for (const auto& t : d.tenants) lines.push_back("identity tenant " + t.name + " " + t.id);
    for (const auto& app : d.apps) lines.push_back(app_line(app));
    lines.push_back("identity app certificate: " + parts_.scan_daemon_cert.chain.string() + " key " +
                    parts_.scan_daemon_cert.key.string() + " (" + scan_daemon_name + " " + scan_daemon_client_id + ")");
    for (const auto& u : d.users)
        if (auto code = service_->mfa_code(u.address)) lines.push_back("identity mfa " + u.address + " code " + *code);
    return lines;
}

}  // namespace exosim::app
