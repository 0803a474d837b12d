#include "app/exchange_runtime.hpp"

#include <boost/json/serialize.hpp>
#include <yaml-cpp/yaml.h>

#include "app/config_exchange.hpp"
#include "app/config_yaml.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <openssl/rand.h>

#include "policy/tenant_fields.hpp"
#include "transport/certs.hpp"

namespace exosim::app {

namespace {

namespace json = boost::json;

std::string hex(const unsigned char* p, std::size_t n) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
        out += digits[p[i] >> 4];
        out += digits[p[i] & 0xf];
    }
    return out;
}

std::string read_secret(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    if (!in || s.empty()) throw std::runtime_error("token secret " + file.string() + " is empty or unreadable");
    return s;
}

// The directory as configured: the tenants plus the transport's address map, so the JSON view
// and the policies see the same stand-ins the transport applies.
policy::Directory configured_directory(const AppConfig& config) {
    policy::Directory d = config.directory;
    d.address_map.entries.clear();
    for (const auto& e : config.address_map.entries()) d.address_map.entries[e.from] = e.to;
    d.address_map.default_address = config.address_map.default_seen();
    return d;
}

policy::Tenant* find_tenant(policy::Directory& d, std::string_view domain) {
    for (auto& t : d.tenants)
        if (policy::lower(t.name) == policy::lower(domain) || t.accepts_domain(domain)) return &t;
    return nullptr;
}

policy::MailboxAccount& find_mailbox(policy::Directory& d, std::string_view address) {
    for (auto& t : d.tenants)
        for (auto& m : t.mailboxes)
            if (policy::lower(m.address) == policy::lower(address)) return m;
    throw std::invalid_argument("no mailbox " + std::string(address) + " in the directory");
}

std::size_t count_value(std::string_view key, std::string_view value) {
    std::size_t n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc{} || end != value.data() + value.size() || n > 1000000)
        throw std::invalid_argument(std::string(key) + ": '" + std::string(value) + "' is not a count (0..1000000)");
    return n;
}

// A JSON scalar (or, for send_as, an array of strings) as the text tenant_fields reads.
std::string field_text(std::string_view key, const json::value& v) {
    if (v.is_string()) return std::string(v.get_string());
    if (v.is_bool()) return v.get_bool() ? "true" : "false";
    if (v.is_int64()) return std::to_string(v.get_int64());
    if (v.is_uint64()) return std::to_string(v.get_uint64());
    if (v.is_null()) return "inherit";
    if (v.is_array()) {
        std::string out;
        for (const auto& item : v.get_array()) {
            if (!item.is_string()) throw std::invalid_argument(std::string(key) + ": expected a list of addresses");
            out += (out.empty() ? "" : ",") + std::string(item.get_string());
        }
        return out;
    }
    throw std::invalid_argument(std::string(key) + ": expected a string, number or boolean");
}

json::object mailbox_json(const policy::MailboxAccount& m) {
    json::object o;
    o["address"] = m.address;
    o["has_password"] = !m.password.empty();
    o["licensed"] = m.licensed;
    o["smtp_auth"] = std::string(policy::smtp_auth_name(m.smtp_auth));
    json::array send_as;
    for (const auto& a : m.send_as) send_as.emplace_back(a);
    o["send_as"] = std::move(send_as);
    o["locked"] = m.locked;
    o["conditional_access_blocked"] = m.conditional_access_blocked;
    return o;
}

json::object tenant_json(const policy::Tenant& t) {
    json::object o;
    o["name"] = t.name;
    json::array domains;
    for (const auto& d : t.accepted_domains) domains.emplace_back(d);
    o["accepted_domains"] = std::move(domains);
    o["mx_host"] = t.mx_host;
    json::object settings;
    for (std::string_view key : policy::tenant_setting_keys()) {
        const std::string v = policy::tenant_setting_text(t.settings, key);
        if (v == "true" || v == "false") settings[key] = v == "true";
        else if (key == "recipients_per_message") settings[key] = t.settings.recipients_per_message;
        else settings[key] = v;
    }
    o["settings"] = std::move(settings);
    json::array mailboxes;
    for (const auto& m : t.mailboxes) mailboxes.emplace_back(mailbox_json(m));
    o["mailboxes"] = std::move(mailboxes);
    json::array connectors;
    for (const auto& c : t.connectors) {
        json::object co;
        co["name"] = c.name;
        json::array ranges;
        for (const auto& r : c.source_ip_ranges) ranges.emplace_back(r.str());
        co["source_ips"] = std::move(ranges);
        co["certificate_domain"] = c.certificate_domain;
        co["require_tls"] = c.require_tls;
        connectors.emplace_back(std::move(co));
    }
    o["connectors"] = std::move(connectors);
    return o;
}

}  // namespace

std::filesystem::path ExchangeRuntime::token_key_path(const std::filesystem::path& data_dir) {
    return data_dir / "tls" / "token.key";
}

// Created as a temporary file and hard-linked into place, so two processes starting at once
// agree on one secret (link() fails with EEXIST for the loser, which then reads the winner's).
std::string ExchangeRuntime::load_or_create_token_secret(const std::filesystem::path& data_dir) {
    const std::filesystem::path file = token_key_path(data_dir);
    std::error_code ec;
    if (std::filesystem::exists(file, ec)) return read_secret(file);
    std::filesystem::create_directories(file.parent_path(), ec);
    if (ec) throw std::runtime_error("cannot create " + file.parent_path().string() + ": " + ec.message());

    unsigned char bytes[32];
    if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("no randomness for the token secret");
    const std::string secret = hex(bytes, sizeof bytes) + "\n";
    const std::filesystem::path tmp = file.string() + ".tmp." + std::to_string(::getpid());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot create " + tmp.string() + ": " + std::strerror(errno));
    const bool written = ::write(fd, secret.data(), secret.size()) == static_cast<ssize_t>(secret.size()) &&
                         ::fsync(fd) == 0;
    ::close(fd);
    if (!written) {
        std::filesystem::remove(tmp, ec);
        throw std::runtime_error("cannot write " + tmp.string());
    }
    const int linked = ::link(tmp.c_str(), file.c_str());
    const int link_errno = errno;
    std::filesystem::remove(tmp, ec);
    if (linked != 0 && link_errno != EEXIST)
        throw std::runtime_error("cannot create " + file.string() + ": " + std::strerror(link_errno));
    return read_secret(file);
}

ExchangeRuntime::ExchangeRuntime(const AppConfig& config, const std::filesystem::path& data_dir)
    : data_dir_(data_dir),
      settings_(config.exchange),
      submission_(policy::SubmissionState::create(config.throttle)),
      hs256_(std::make_shared<const policy::TokenIssuer>(load_or_create_token_secret(data_dir))),
      tokens_(hs256_) {
    if (config.clock == ClockMode::virtual_clock) {
        virtual_clock_ = std::make_shared<policy::VirtualClock>();
        clock_ = virtual_clock_;
    } else {
        clock_ = std::make_shared<const policy::RealClock>();
    }
    auto directory = std::make_shared<const policy::Directory>(configured_directory(config));
    directory->validate();  // std::invalid_argument: the configuration cannot be served
    std::lock_guard lock(mutex_);
    configured_ = directory;
    publish_locked(directory);
}

void ExchangeRuntime::publish_locked(std::shared_ptr<const policy::Directory> directory) {
    auto env = std::make_shared<policy::exo::Environment>();
    env->directory = directory;
    env->clock = clock_;
    env->submission = submission_;
    env->tokens = tokens_;
    env->settings = settings_;
    current_ = std::move(directory);
    environment_ = std::move(env);
}

std::shared_ptr<const policy::exo::Environment> ExchangeRuntime::environment() const {
    std::lock_guard lock(mutex_);
    return environment_;
}

bool ExchangeRuntime::virtual_clock() const {
    std::lock_guard lock(mutex_);
    return virtual_clock_ != nullptr;
}

std::chrono::system_clock::time_point ExchangeRuntime::now() const {
    std::lock_guard lock(mutex_);
    return clock_->now();
}

void ExchangeRuntime::advance_clock(std::chrono::seconds by) {
    std::lock_guard lock(mutex_);
    if (!virtual_clock_) throw std::logic_error("the clock is real (set `clock: virtual` to advance it)");
    if (by.count() < 0) throw std::invalid_argument("the clock only moves forward");
    virtual_clock_->advance(by);
}

void ExchangeRuntime::attach_tokens(std::shared_ptr<const policy::TokenVerifier> verifier, TokenMinter minter) {
    std::lock_guard lock(mutex_);
    tokens_ = std::move(verifier);
    minter_ = std::move(minter);
    publish_locked(current_);
}

std::string ExchangeRuntime::mint_token(const std::string& user, std::chrono::seconds ttl,
                                        const std::string& audience) const {
    if (policy::domain_of(user).empty()) throw std::invalid_argument("token user '" + user + "' is not an address");
    if (ttl.count() <= 0) throw std::invalid_argument("token ttl must be above 0 seconds");
    TokenMinter minter;
    {
        std::lock_guard lock(mutex_);
        minter = minter_;
    }
    if (minter) return minter(user, ttl, audience);
    policy::TokenClaims claims;
    claims.sub = user;
    claims.aud = audience;
    claims.scp = std::string(policy::TokenIssuer::default_scope);
    claims.iat = std::chrono::duration_cast<std::chrono::seconds>(now().time_since_epoch()).count();
    claims.exp = claims.iat + ttl.count();
    return hs256_->mint(claims);
}

json::value ExchangeRuntime::tenants_json() const {
    std::shared_ptr<const policy::Directory> d;
    {
        std::lock_guard lock(mutex_);
        d = current_;
    }
    json::object out;
    json::array tenants;
    for (const auto& t : d->tenants) tenants.emplace_back(tenant_json(t));
    out["tenants"] = std::move(tenants);
    json::array blocked;
    for (const auto& r : d->blocked_ips) blocked.emplace_back(r.str());
    out["blocked_ips"] = std::move(blocked);
    json::object spf;
    for (const auto& [domain, record] : d->spf_records) spf[domain] = record;
    out["spf_records"] = std::move(spf);
    return out;
}

void ExchangeRuntime::patch_tenant(const std::string& domain, const json::value& patch) {
    if (!patch.is_object()) throw std::invalid_argument("tenant patch: expected a JSON object");
    std::lock_guard lock(mutex_);
    policy::Directory next = *configured_;
    policy::Tenant* tenant = find_tenant(next, domain);
    if (!tenant) throw std::invalid_argument("no tenant named or accepting '" + domain + "'");
    for (const auto& [key, value] : patch.get_object()) {
        if (key == "settings") {
            if (!value.is_object()) throw std::invalid_argument("settings: expected an object");
            for (const auto& [k, v] : value.get_object())
                policy::set_tenant_setting(tenant->settings, k, field_text(k, v));
        } else if (key == "mailboxes") {
            if (!value.is_object())
                throw std::invalid_argument("mailboxes: expected an object of address: {field: value}");
            for (const auto& [address, fields] : value.get_object()) {
                policy::MailboxAccount* m = nullptr;
                for (auto& candidate : tenant->mailboxes)
                    if (policy::lower(candidate.address) == policy::lower(address)) m = &candidate;
                if (!m) throw std::invalid_argument("no mailbox " + std::string(address) + " in " + tenant->name);
                if (!fields.is_object()) throw std::invalid_argument(std::string(address) + ": expected an object");
                for (const auto& [k, v] : fields.get_object()) policy::set_mailbox_field(*m, k, field_text(k, v));
            }
        } else {
            throw std::invalid_argument("unknown tenant patch key '" + std::string(key) + "' (known: settings, mailboxes)");
        }
    }
    next.validate();
    // Scenario overrides stay on top of the patched configuration; computed before anything is
    // replaced, so a patch that throws leaves everything as it was.
    policy::Directory with_overrides = next;
    apply_directory_overrides(with_overrides, overrides_);
    configured_ = std::make_shared<const policy::Directory>(std::move(next));
    publish_locked(std::make_shared<const policy::Directory>(std::move(with_overrides)));
}

// Directory keys: "<setting>" (the first tenant), "tenant.<domain>.<setting>",
// "mailbox.<address>.<field>". State keys (recipients_sent_today.<address>, ...) are not touched.
void ExchangeRuntime::apply_directory_overrides(policy::Directory& d, const std::map<std::string, std::string>& o) {
    for (const auto& [key, value] : o) {
        if (is_state_override(key)) continue;
        if (key.starts_with("mailbox.")) {
            const std::string rest = key.substr(8);
            const auto dot = rest.rfind('.');
            if (dot == std::string::npos || rest.find('@') == std::string::npos || rest.find('@') > dot)
                throw std::invalid_argument(key + ": expected mailbox.<address>.<field>");
            policy::set_mailbox_field(find_mailbox(d, rest.substr(0, dot)), rest.substr(dot + 1), value);
        } else if (key.starts_with("tenant.")) {
            const std::string rest = key.substr(7);
            const auto dot = rest.rfind('.');
            if (dot == std::string::npos) throw std::invalid_argument(key + ": expected tenant.<domain>.<setting>");
            policy::Tenant* t = find_tenant(d, rest.substr(0, dot));
            if (!t) throw std::invalid_argument(key + ": no tenant '" + rest.substr(0, dot) + "'");
            policy::set_tenant_setting(t->settings, rest.substr(dot + 1), value);
        } else {
            if (d.tenants.empty()) throw std::invalid_argument(key + ": no tenant configured");
            policy::set_tenant_setting(d.tenants.front().settings, key, value);
        }
    }
    d.validate();
}

bool ExchangeRuntime::is_state_override(std::string_view key) {
    for (std::string_view prefix : {"recipients_sent_today.", "messages_this_minute.", "auth_failures."})
        if (key.starts_with(prefix)) return true;
    return false;
}

void ExchangeRuntime::apply_overrides(const std::map<std::string, std::string>& overrides) {
    std::lock_guard lock(mutex_);
    policy::Directory next = *configured_;
    apply_directory_overrides(next, overrides);  // throws before anything changes
    // State keys: validate every one before touching the shared submission state.
    struct StateChange {
        std::string kind;
        std::string address;
        std::size_t count;
    };
    std::vector<StateChange> changes;
    for (const auto& [key, value] : overrides) {
        if (!is_state_override(key)) continue;
        const auto dot = key.find('.');
        const std::string address = key.substr(dot + 1);
        (void)find_mailbox(next, address);
        changes.push_back({key.substr(0, dot), address, count_value(key, value)});
    }
    // Overrides replace earlier ones: state left by earlier state keys goes too.
    const bool had_state = std::any_of(overrides_.begin(), overrides_.end(),
                                       [](const auto& kv) { return is_state_override(kv.first); });
    overrides_ = overrides;
    if (had_state || !changes.empty()) submission_->clear();
    const auto t = clock_->now();
    for (const auto& c : changes) {
        if (c.kind == "recipients_sent_today") {
            submission_->try_consume_recipients(c.address, c.count, t);
        } else if (c.kind == "messages_this_minute") {
            for (std::size_t i = 0; i < c.count; ++i) submission_->schedule_message(c.address, t);
        } else {
            for (std::size_t i = 0; i < c.count; ++i) submission_->record_auth_failure(c.address, t);
        }
    }
    publish_locked(std::make_shared<const policy::Directory>(std::move(next)));
}

void ExchangeRuntime::reset_overrides() {
    std::lock_guard lock(mutex_);
    const bool had_state = std::any_of(overrides_.begin(), overrides_.end(),
                                       [](const auto& kv) { return is_state_override(kv.first); });
    overrides_.clear();
    if (had_state) submission_->clear();
    publish_locked(configured_);
}

void ExchangeRuntime::reset() {
    std::lock_guard lock(mutex_);
    overrides_.clear();
    submission_->clear();
    // A virtual clock cannot run backwards: a fresh one starts at the real time again.
    if (virtual_clock_) {
        virtual_clock_ = std::make_shared<policy::VirtualClock>();
        clock_ = virtual_clock_;
    }
    publish_locked(configured_);
}

std::filesystem::path ExchangeRuntime::client_certificate(const std::string& domain) const {
    std::lock_guard lock(cert_mutex_);
    transport::CertificateAuthority ca(data_dir_ / "tls");
    const transport::CertFiles files = ca.client_cert(domain);
    // One file holding chain then key: what Python's load_cert_chain, curl --cert and swaks
    // --tls-cert accept without a separate key option.
    const std::filesystem::path bundle =
        ca.dir() / ("client-" + transport::CertificateAuthority::safe_name(domain) + ".bundle.pem");
    std::ifstream chain(files.chain, std::ios::binary), key(files.key, std::ios::binary);
    std::ostringstream text;
    text << chain.rdbuf() << key.rdbuf();
    const std::filesystem::path tmp = bundle.string() + ".tmp." + std::to_string(::getpid());
    {
        const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0) throw std::runtime_error("cannot create " + tmp.string() + ": " + std::strerror(errno));
        const std::string s = text.str();
        const bool ok = ::write(fd, s.data(), s.size()) == static_cast<ssize_t>(s.size());
        ::close(fd);
        if (!ok) throw std::runtime_error("cannot write " + tmp.string());
    }
    std::filesystem::rename(tmp, bundle);
    return bundle;
}

}  // namespace exosim::app

namespace exosim::app {

void ExchangeRuntime::patch_settings(const boost::json::value& patch) {
    if (!patch.is_object()) throw std::invalid_argument("exchange: expected an object");
    if (patch.as_object().contains("limits"))
        throw std::invalid_argument("exchange.limits: not changeable at runtime (restart with a changed configuration)");
    std::lock_guard lock(mutex_);
    AppConfig config;
    config.exchange = settings_;
    YAML::Emitter out;
    out << YAML::BeginMap;
    emit_exchange_sections(out, config);
    out << YAML::EndMap;
    YAML::Node section = YAML::Load(out.c_str())["exchange"];
    // JSON is YAML: the patch goes through the same decoder as the configuration file.
    YAML::Node changes = YAML::Load(boost::json::serialize(patch));
    for (const auto& kv : changes) section[kv.first.as<std::string>()] = kv.second;
    try {
        load_exchange(yaml::Context{"PATCH /api/v1/config"}, section, config);
    } catch (const ConfigError& e) {
        throw std::invalid_argument(e.what());
    }
    settings_ = config.exchange;
    publish_locked(current_);
}

}  // namespace exosim::app
