#include "app/exchange_runtime.hpp"

#include <boost/json/serialize.hpp>
#include <yaml-cpp/yaml.h>

#include "app/config_exchange.hpp"
#include "app/config_yaml.hpp"

#include <algorithm>
#include <stdexcept>

#include "app/tenant_json.hpp"
#include "policy/tenant_overrides.hpp"

namespace exosim::app {

namespace {

namespace json = boost::json;

// The directory as configured: the tenants plus the transport's address map, so the JSON view
// and the policies see the same stand-ins the transport applies.
policy::Directory configured_directory(const AppConfig& config) {
    policy::Directory d = config.directory;
    d.address_map.entries.clear();
    for (const auto& e : config.address_map.entries()) d.address_map.entries[e.from] = e.to;
    d.address_map.default_address = config.address_map.default_seen();
    return d;
}

}  // namespace

ExchangeRuntime::ExchangeRuntime(const AppConfig& config)
    : settings_(config.exchange),
      submission_(policy::SubmissionState::create(config.throttle)) {
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
    if (!minter) throw std::logic_error("no sign-in service attached: cannot mint a token");
    return minter(user, ttl, audience);
}

json::value ExchangeRuntime::tenants_json() const {
    std::shared_ptr<const policy::Directory> d;
    {
        std::lock_guard lock(mutex_);
        d = current_;
    }
    return directory_json(*d);
}

void ExchangeRuntime::patch_tenant(const std::string& domain, const json::value& patch) {
    if (!patch.is_object()) throw std::invalid_argument("tenant patch: expected a JSON object");
    std::lock_guard lock(mutex_);
    policy::Directory next = *configured_;
    apply_tenant_patch(next, domain, patch);
    next.validate();
    // Scenario overrides stay on top of the patched configuration; computed before anything is
    // replaced, so a patch that throws leaves everything as it was.
    policy::Directory with_overrides = next;
    policy::apply_directory_overrides(with_overrides, overrides_);
    configured_ = std::make_shared<const policy::Directory>(std::move(next));
    publish_locked(std::make_shared<const policy::Directory>(std::move(with_overrides)));
}

void ExchangeRuntime::apply_overrides(const std::map<std::string, std::string>& overrides) {
    std::lock_guard lock(mutex_);
    policy::Directory next = *configured_;
    policy::apply_directory_overrides(next, overrides);  // throws before anything changes
    // State keys: validate every one before touching the shared submission state.
    std::vector<policy::StateOverride> changes;
    for (const auto& [key, value] : overrides) {
        if (policy::is_state_override(key)) changes.push_back(policy::parse_state_override(next, key, value));
    }
    // Overrides replace earlier ones: state left by earlier state keys goes too.
    const bool had_state = std::any_of(overrides_.begin(), overrides_.end(),
                                       [](const auto& kv) { return policy::is_state_override(kv.first); });
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
                                       [](const auto& kv) { return policy::is_state_override(kv.first); });
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
