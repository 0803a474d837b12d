// certify's sign-in service per worker: listener, per-scenario reset, faults, device-code approval.
#include "app/certify_identity.hpp"

#include <map>

#include <openssl/evp.h>

#include "app/identity_listener.hpp"
#include "core/ascii.hpp"
#include "identity/identity_directory.hpp"
#include "identity/jwt.hpp"

namespace exosim::app {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using Steady = std::chrono::steady_clock;
namespace ids = identity::default_ids;

// How often the approver looks for new device codes: well inside the 5 s polling interval.
constexpr milliseconds approver_poll{100};

scenario::IdentityRecord identity_record(const identity::IdentityEvent& e) {
    scenario::IdentityRecord r;
    r.method = e.method;
    r.host = e.host;
    r.path = e.path;
    const std::string& p = e.path;
    auto has = [&](std::string_view x) { return p.find(x) != std::string::npos; };
    r.endpoint = has("/token") ? "token" : has("/devicecode") ? "devicecode" : has("/authorize") ? "authorize"
               : has("openid-configuration") || has("/discovery") || has("userrealm") ? "discovery"
               : p == "/devicelogin" || p == "/link" || p == "/signin" ? "page" : "other";
    if (p.size() > 1 && r.endpoint != "page") r.tenant_segment = p.substr(1, p.find('/', 1) - 1);
    r.grant = e.grant;
    r.client_id = e.client_id;
    r.user = e.user;
    r.scope = e.scope;
    r.status = e.status;
    r.ok = e.ok;
    r.error = e.error;
    r.aadsts = e.aadsts;
    r.retry_after = e.retry_after;
    r.interval = e.interval;
    r.refresh_used = e.refresh_used;
    r.refresh_issued = e.refresh_issued;
    r.access_token_issued = e.access_token_issued;
    r.token_expires_in = e.expires_in;
    return r;
}

namespace {

// The first 12 hex digits of SHA-256, as the sign-in service fingerprints refresh tokens.
std::string fingerprint(std::string_view token) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_Digest(token.data(), token.size(), digest, &n, EVP_sha256(), nullptr) != 1) return {};
    std::string out;
    for (unsigned i = 0; i < 6 && i < n; ++i) core::ascii::append_hex(out, digest[i]);
    return out;
}

// Exchange's XOAUTH2 check as certify runs it: the worker's sign-in service decides, on the
// service's clock (which a scenario may move forward), and every check becomes a timeline record
// with the token's claims, because the wire only shows "AUTH XOAUTH2 [redacted]".
class RecordingVerifier final : public policy::TokenVerifier {
public:
    RecordingVerifier(std::shared_ptr<const policy::TokenVerifier> inner, std::shared_ptr<const policy::Clock> clock,
                      harness::ScenarioSlot& slot)
        : inner_(std::move(inner)), clock_(std::move(clock)), slot_(slot) {}

    policy::TokenCheck check(std::string_view token, std::string_view user, const policy::Clock&) const override {
        policy::TokenCheck c = inner_->check(token, user, *clock_);
        scenario::IdentityRecord r;
        r.method = "AUTH";
        r.endpoint = "xoauth2";
        r.host = "smtp";
        r.path = "XOAUTH2";
        r.user = std::string(user);
        r.ok = c.ok();
        r.status = c.ok() ? 235 : 535;
        r.error = c.ok() ? std::string() : std::string(policy::token_status_name(c.status)) + ": " + c.reason;
        r.token_fingerprint = token.empty() ? std::string() : fingerprint(token);  // "": no token at all
        const identity::JwtParse p = identity::parse_jwt(token);
        if (p.jwt) {
            const auto& claims = p.jwt->payload;
            r.token_jwt = true;
            r.token_upn = std::string(identity::string_claim(claims, "upn"));
            if (r.token_upn.empty()) r.token_upn = std::string(identity::string_claim(claims, "unique_name"));
            r.token_app_only = claims.contains("roles") && !claims.contains("scp");
            r.token_exp = identity::time_claim(claims, "exp").value_or(0);
            r.token_nbf = identity::time_claim(claims, "nbf").value_or(0);
            r.client_id = std::string(identity::string_claim(claims, "appid"));
        }
        slot_.record_identity(std::move(r));
        return c;
    }

private:
    std::shared_ptr<const policy::TokenVerifier> inner_;
    std::shared_ptr<const policy::Clock> clock_;
    harness::ScenarioSlot& slot_;
};

}  // namespace

// Approves, declines or expires each new device code after the scenario's delay; in manual mode
// shows every pending code to the person at the device-login page instead.
struct CertifyIdentity::Approver {
    std::mutex mutex;
    std::condition_variable wake;
    bool stopping = false;
    std::thread thread;

    void stop() {
        {
            std::lock_guard lock(mutex);
            stopping = true;
        }
        wake.notify_all();
        if (thread.joinable()) thread.join();
    }
    // False when stop() was called during the wait.
    bool sleep(milliseconds d) {
        std::unique_lock lock(mutex);
        return !wake.wait_for(lock, d, [this] { return stopping; });
    }
};

namespace {

std::string domain_of(std::string_view address) {
    const std::size_t at = address.rfind('@');
    return at == std::string_view::npos ? std::string() : policy::lower(address.substr(at + 1));
}

std::string approving_user(const scenario::Scenario& s) {
    return s.identity.user.empty() ? s.send.user : s.identity.user;
}

std::string flow_of(const scenario::Scenario& s) {
    switch (s.identity.expect_flow) {
        case scenario::ExpectFlow::client_credentials: return "client-credentials";
        case scenario::ExpectFlow::authorization_code: return "auth-code";
        default: return "device-code";
    }
}

std::string seconds_left(std::chrono::system_clock::time_point until, std::chrono::system_clock::time_point now) {
    return std::to_string(std::max<long long>(0, std::chrono::duration_cast<std::chrono::seconds>(until - now).count()));
}

}  // namespace

CertifyIdentity::CertifyIdentity(const AppConfig& config, fs::path data_dir, ExchangeRuntime& exchange,
                                 transport::CertificateAuthority& ca, harness::ScenarioSlot& slot)
    : config_(config), data_dir_(std::move(data_dir)), exchange_(exchange), ca_(ca), slot_(slot) {
    reset();
    listener_ = start_identity_listener(config_, ca_, [this](identity::HttpRequest request) {
        return runtime()->service().handle(request);  // the copy keeps a swapped-out service alive
    });
}

CertifyIdentity::~CertifyIdentity() {
    stop_approver();
    if (listener_) listener_->stop();
}

std::shared_ptr<IdentityRuntime> CertifyIdentity::runtime() const {
    std::lock_guard lock(mutex_);
    return runtime_;
}

identity::IdentityService& CertifyIdentity::service() { return runtime()->service(); }

std::string CertifyIdentity::address() const {
    if (!listener_) return {};
    std::string host = listener_->address();
    if (host == "0.0.0.0" || host.empty()) host = "127.0.0.1";
    return host + ":" + std::to_string(listener_->port());
}

void CertifyIdentity::reset(std::optional<std::chrono::seconds> access_token_lifetime) {
    stop_approver();
    clock_->reset();
    // A new journal file: refresh tokens of an earlier scenario must not answer in this one (the
    // old service, still answering until the swap, keeps writing to the unlinked file).
    std::error_code ec;
    fs::remove(data_dir_ / "identity" / "refresh-tokens.log", ec);
    identity::IdentitySettings settings = identity_settings(config_);
    if (access_token_lifetime) settings.access_token_min = settings.access_token_max = *access_token_lifetime;
    auto rt = std::make_shared<IdentityRuntime>(config_, data_dir_, exchange_, ca_, clock_, settings);
    rt->subscribe([&slot = slot_](const identity::IdentityEvent& e) { slot.record_identity(identity_record(e)); });
    identity::IdentityService* service = &rt->service();
    exchange_.attach_tokens(std::make_shared<RecordingVerifier>(service->smtp_verifier(), clock_, slot_),
                            [service](const std::string& user, std::chrono::seconds ttl, const std::string& audience) {
                                identity::MintRequest request;
                                request.user = user;
                                request.audience = audience;
                                request.lifetime = ttl;
                                identity::MintResult m = service->mint(request);
                                if (m.status != identity::ControlStatus::ok)
                                    throw std::invalid_argument("cannot mint a token for " + user);
                                return m.access_token;
                            });
    std::lock_guard lock(mutex_);
    runtime_ = std::move(rt);
}

void CertifyIdentity::stop_approver() {
    if (!approver_) return;
    approver_->stop();
    approver_.reset();
}

void CertifyIdentity::apply(const scenario::Scenario& s, const scenario::IdentityFaults& f) {
    identity::IdentityService& svc = service();
    const std::string user = approving_user(s);
    const std::string client = values(s, {}).client_id;
    const scenario::UserState& u = f.user_state;
    if (u.mfa_required || u.ca_blocked || u.disabled || u.password_expired || u.locked) {
        identity::SignInChange c;
        c.mfa_required = u.mfa_required;
        c.ca_blocked = u.ca_blocked;
        c.disabled = u.disabled;
        c.password_expired = u.password_expired;
        c.locked = u.locked;
        if (svc.change_sign_in(user, c) != identity::ControlStatus::ok)
            throw std::runtime_error("user_state: unknown user '" + user + "'");
    }
    if (f.token_endpoint) {
        const scenario::TokenOutage& o = *f.token_endpoint;
        std::vector<identity::TokenEndpointFault> seq;
        identity::TokenEndpointFault first;
        first.status = o.status;
        if (o.retry_after) first.retry_after = std::chrono::seconds(*o.retry_after);
        first.count = o.times;
        seq.push_back(first);
        if (o.then != scenario::OutageThen::none) {
            identity::TokenEndpointFault then;
            then.delay = o.delay;
            then.close_connection = o.then == scenario::OutageThen::timeout;
            then.count = 1;
            seq.push_back(then);
        }
        svc.set_token_faults(std::move(seq));
    }
    if (f.nbf_ahead) svc.set_clock_skew(*f.nbf_ahead);
    if (f.consent_missing && svc.set_consent(client, *f.consent_missing, false) != identity::ControlStatus::ok)
        throw std::runtime_error("consent_missing: unknown app or tenant '" + *f.consent_missing + "'");
    if (f.secret_expired && svc.expire_app_secrets(client) != identity::ControlStatus::ok)
        throw std::runtime_error("secret_expired: unknown app '" + client + "'");
    if (f.revoke_refresh_tokens) svc.revoke_refresh_tokens(user);
    if (f.rotate_signing_key) svc.rotate_signing_key();
    if (f.wait.count() > 0) std::this_thread::sleep_for(f.wait);
    if (f.advance.count() > 0) {
        clock_->advance(f.advance);
        slot_.record_clock_advance(f.advance);
    }
}

void CertifyIdentity::start(const scenario::Scenario& s, bool manual, std::ostream* progress) {
    if (s.identity.access_token_lifetime) reset(s.identity.access_token_lifetime);  // nothing was asked yet
    slot_.set_identity_clock(std::chrono::duration_cast<std::chrono::seconds>(clock_->now().time_since_epoch()).count());
    {
        // token-authority judges against the tenant the device is meant for: the scenario's user's
        // (a wrong-tenant scenario configures the client with another one on purpose).
        const std::string home = domain_of(s.send.user).empty() ? "contoso.com" : domain_of(s.send.user);
        const identity::IdentityDirectory dir = service().directory();
        std::vector<std::string> names;
        if (const identity::IdentityTenant* t = dir.find_tenant(home)) {
            names.push_back(t->id);
            for (const auto& d : t->domains) names.push_back(policy::lower(d));
        } else {
            names.push_back(home);
        }
        const bool app_only = s.identity.expect_flow == scenario::ExpectFlow::client_credentials;
        const std::string client = !s.identity.client_id.empty() ? s.identity.client_id
                                   : std::string(app_only ? ids::scan_daemon : ids::print_fleet);
        slot_.set_identity_expectations(std::move(names), client);
    }
    apply(s, s.identity.faults);
    using scenario::Approval;
    using scenario::DeviceCodeFault;
    const Approval approval = manual ? Approval::manual : s.identity.approval;
    // Authorization code: the sign-in page signs in as the scenario's user by itself (issue 14
    // identity.auto_approve), so a headless client completes /authorize without a person.
    if (s.identity.expect_flow == scenario::ExpectFlow::authorization_code && approval == Approval::auto_approve)
        service().set_auto_approve(identity::AutoApprove{approving_user(s), std::chrono::seconds(0)});
    const DeviceCodeFault fault = s.identity.faults.device_code;
    approver_ = std::make_unique<Approver>();
    Approver& a = *approver_;
    const std::string user = approving_user(s);
    const milliseconds delay = s.identity.approval_delay;
    a.thread = std::thread([this, &a, approval, fault, user, delay, progress] {
        std::map<std::string, Steady::time_point> seen;
        std::set<std::string> done;
        while (a.sleep(approver_poll)) {
            for (const identity::PendingDeviceCode& p : service().pending_device_codes()) {
                const auto [it, fresh] = seen.emplace(p.user_code, Steady::now());
                if (fresh && approval == Approval::manual && progress) {
                    *progress << "  pending device code " << p.user_code << " for \"" << p.app_name << "\" (" << p.scope
                              << "), expires in " << seconds_left(p.expires, clock_->now()) << " s: open "
                              << config_.identity.verification_uri << " and sign in as " << user << std::endl;
                }
                if (approval == Approval::manual || done.count(p.user_code) || Steady::now() - it->second < delay) continue;
                done.insert(p.user_code);
                if (fault == DeviceCodeFault::expire) service().expire_device_code(p.user_code);
                else if (fault == DeviceCodeFault::decline || approval == Approval::decline)
                    service().decline_device_code(p.user_code);
                else service().approve_device_code(p.user_code, user);
            }
        }
    });
}

harness::IdentityValues CertifyIdentity::values(const scenario::Scenario& s, const fs::path& work_dir) {
    harness::IdentityValues v;
    const bool app_only = s.identity.expect_flow == scenario::ExpectFlow::client_credentials;
    const std::string tenant = !s.identity.tenant.empty() ? s.identity.tenant
                               : !domain_of(s.send.user).empty() ? domain_of(s.send.user) : std::string("contoso.com");
    const identity::IdentityDirectory dir = service().directory();
    const identity::IdentityTenant* t = dir.find_tenant(tenant);
    v.tenant_id = t ? t->id : tenant;
    v.authority = "https://login.microsoftonline.com/" + v.tenant_id;
    v.identity_address = address();
    v.client_id = !s.identity.client_id.empty() ? s.identity.client_id
                  : std::string(app_only ? ids::scan_daemon : ids::print_fleet);
    v.client_secret = s.identity.client_secret;
    if (app_only) {
        const transport::CertFiles cert = ca_.app_cert(scan_daemon_client_id, scan_daemon_name);
        v.app_cert = cert.chain.string();
        v.app_key = cert.key.string();
    }
    // reference §2: devices ask for SMTP.Send plus offline_access; app-only for Exchange's .default.
    v.scope = app_only ? "https://outlook.office365.com/.default" : "https://outlook.office.com/SMTP.Send offline_access";
    if (!work_dir.empty()) v.token_cache = (work_dir / s.id / "token-cache.json").string();
    v.oauth_flow = flow_of(s);
    return v;
}

harness::IdentityDriver CertifyIdentity::driver(bool manual, std::ostream* progress, fs::path work_dir) {
    harness::IdentityDriver d;
    d.start = [this, manual, progress, work_dir](const scenario::Scenario& s) {
        std::error_code ec;
        fs::remove(work_dir / s.id / "token-cache.json", ec);  // every run starts signed out
        fs::create_directories(work_dir / s.id, ec);
        start(s, manual, progress);
    };
    d.between_jobs = [this](const scenario::Scenario& s, unsigned) { apply(s, s.identity.between_jobs); };
    d.stop = [this] { stop_approver(); };
    d.values = [this, work_dir](const scenario::Scenario& s) { return values(s, work_dir); };
    return d;
}

}  // namespace exosim::app
