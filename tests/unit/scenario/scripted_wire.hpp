#pragma once
// Test driver: the real core::Engine behind ScriptPolicy (over the RFC baseline policy) with
// ReplyScript between take_actions() and the shared test transport (support/engine_driver.hpp).
// TLS "handshakes" succeed at once; messages are "stored" at once with id "msg-1".
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/engine.hpp"
#include "policy/rfc_policy.hpp"
#include "scenario/cursor.hpp"
#include "scenario/reply_script.hpp"
#include "scenario/script_policy.hpp"
#include "scenario/yaml_io.hpp"
#include "support/engine_driver.hpp"

namespace exosim::scenario::testing {

inline std::shared_ptr<const Scenario> scenario_from_yaml(std::string_view yaml) {
    return std::make_shared<const Scenario>(parse_scenario_yaml(yaml, "test.yaml", "test"));
}

inline std::unique_ptr<core::SessionPolicy> rfc_inner() {
    policy::RfcPolicyConfig config;
    config.hostname = "mock.example";
    config.accounts = {{"printer@contoso.com", "Printer-Pass-1"}};
    return std::make_unique<policy::RfcPolicy>(config);
}

inline core::ConnectionInfo scripted_connection() {
    return core::ConnectionInfo{"0000000000000001", "submission", "127.0.0.1:587", "127.0.0.1:5000", "203.0.113.1", false};
}

class ScriptedWire {
public:
    ScriptedWire(std::shared_ptr<const Scenario> scenario, std::shared_ptr<Cursor> cursor)
        : policy_(std::make_unique<ScriptPolicy>(rfc_inner(), scenario, std::move(cursor))),
          script_(policy_->session()),
          engine_(*policy_, scripted_connection()),
          driver_(engine_, options()) {
        engine_.start();
        driver_.drain();
    }

    // The client sends `bytes`; returns what the server wrote in response, writes separated by "|".
    std::string send(std::string_view bytes) {
        first_write_ = driver_.writes.size();
        if (!driver_.closed && !driver_.stalled) driver_.feed(bytes);
        return joined();
    }
    std::string greeting() const { return joined(); }
    std::vector<std::string> writes() const {
        return {driver_.writes.begin() + static_cast<std::ptrdiff_t>(first_write_), driver_.writes.end()};
    }
    const std::vector<std::string>& log() const { return driver_.log; }  // every action executed, in order
    bool closed() const { return driver_.closed; }
    bool stalled() const { return driver_.stalled; }
    bool tls() const { return driver_.tls_active; }
    unsigned attempt() const { return policy_->attempt(); }

private:
    test::DriverOptions options() {
        test::DriverOptions o;
        o.store_id = [](std::size_t) { return std::string("msg-1"); };
        o.rewrite = [this](const std::vector<core::Event>& events, std::vector<core::Action> actions) {
            return script_.rewrite(events, std::move(actions));
        };
        return o;
    }

    std::string joined() const {
        std::string out;
        for (const auto& w : writes()) out += (out.empty() ? "" : "|") + w;
        return out;
    }

    std::unique_ptr<ScriptPolicy> policy_;
    ReplyScript script_;
    core::Engine engine_;
    test::EngineDriver driver_;
    std::size_t first_write_ = 0;
};

}  // namespace exosim::scenario::testing
