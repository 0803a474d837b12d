#pragma once
// The sign-in service of one certify worker as scenarios drive it (issue 13): its HTTPS listener,
// a clock scenarios may move forward (89 days of refresh-token rotation in seconds), a fresh
// service per scenario (directory state, faults and refresh tokens back to the defaults), every
// request recorded into the scenario's trace, the `identity:` faults applied, and device codes
// approved, declined or expired the way the scenario says (or shown to a person with --manual).
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <ostream>
#include <set>
#include <thread>

#include "app/config.hpp"
#include "app/exchange_runtime.hpp"
#include "app/identity_runtime.hpp"
#include "control/http_service.hpp"
#include "harness/run_options.hpp"
#include "harness/scenario_slot.hpp"
#include "scenario/trace.hpp"
#include "transport/certs.hpp"

namespace exosim::app {

// The real time plus whatever the scenario added; never runs backwards.
class OffsetClock final : public policy::Clock {
public:
    std::chrono::system_clock::time_point now() const override {
        return std::chrono::system_clock::now() + std::chrono::seconds(offset_.load());
    }
    std::chrono::seconds ahead_of_clients() const override { return std::chrono::seconds(offset_.load()); }
    void advance(std::chrono::seconds by) { offset_ += by.count(); }
    void reset() { offset_ = 0; }

private:
    std::atomic<std::int64_t> offset_{0};
};

// The timeline record of one sign-in request (never a secret: IdentityEvent holds none).
scenario::IdentityRecord identity_record(const identity::IdentityEvent& event);

class CertifyIdentity {
public:
    // Starts the worker's listener (config.identity; port 0 picks a free one) over a service built
    // like `exosim serve`'s. Throws std::runtime_error when it cannot.
    CertifyIdentity(const AppConfig& config, std::filesystem::path data_dir, ExchangeRuntime& exchange,
                    transport::CertificateAuthority& ca, harness::ScenarioSlot& slot);
    ~CertifyIdentity();
    CertifyIdentity(const CertifyIdentity&) = delete;
    CertifyIdentity& operator=(const CertifyIdentity&) = delete;

    // "127.0.0.1:1443" ("" when the listener is disabled).
    std::string address() const;
    // Before each scenario: a fresh service (refresh-token journal emptied), the clock back to now;
    // `access_token_lifetime` replaces the configured random 60-90 minutes.
    void reset(std::optional<std::chrono::seconds> access_token_lifetime = std::nullopt);
    // The harness::IdentityDriver of this worker; `manual` shows device codes to a person.
    harness::IdentityDriver driver(bool manual, std::ostream* progress, std::filesystem::path work_dir);
    identity::IdentityService& service();

private:
    struct Approver;
    void start(const scenario::Scenario& s, bool manual, std::ostream* progress);
    void apply(const scenario::Scenario& s, const scenario::IdentityFaults& f);
    void stop_approver();
    harness::IdentityValues values(const scenario::Scenario& s, const std::filesystem::path& work_dir);
    std::shared_ptr<IdentityRuntime> runtime() const;

    const AppConfig& config_;
    std::filesystem::path data_dir_;
    ExchangeRuntime& exchange_;
    transport::CertificateAuthority& ca_;
    harness::ScenarioSlot& slot_;
    std::shared_ptr<OffsetClock> clock_ = std::make_shared<OffsetClock>();
    mutable std::mutex mutex_;
    std::shared_ptr<IdentityRuntime> runtime_;  // swapped by reset(); requests hold their copy
    std::unique_ptr<control::HttpService> listener_;
    std::unique_ptr<Approver> approver_;
};

}  // namespace exosim::app
