#pragma once
// The RFC baseline engine behind the shared test transport (support/engine_driver.hpp): stores
// succeed, TLS comes up at once, and feed() returns the exact wire bytes with "<TLS>", "<CLOSE>"
// and "<PAUSE n>" where those actions ran.
#include <string>
#include <utility>

#include "core/engine.hpp"
#include "policy/rfc_policy.hpp"
#include "support/engine_driver.hpp"

namespace exosim::test {

inline policy::RfcPolicyConfig rfc_config() {
    policy::RfcPolicyConfig c;
    c.hostname = "mx.test";
    c.accounts = {{"user", "pass"}};
    c.size_limit = 1000;
    return c;
}

// Owns the policy and the engine, so they exist before the driver that refers to them.
struct RfcEngine {
    explicit RfcEngine(policy::RfcPolicyConfig cfg)
        : rfc_policy(std::move(cfg)),
          rfc_engine(rfc_policy, core::ConnectionInfo{"0011223344556677", "test", "", "", "", false}) {}
    policy::RfcPolicy rfc_policy;
    core::Engine rfc_engine;
};

inline DriverOptions with_markers() {
    DriverOptions o;
    o.markers = true;
    return o;
}

class Harness : private RfcEngine, public EngineDriver {
public:
    explicit Harness(policy::RfcPolicyConfig cfg = rfc_config(), bool start = true)
        : RfcEngine(std::move(cfg)), EngineDriver(rfc_engine, with_markers()) {
        if (start) {
            rfc_engine.start();
            drain();
        }
    }
};

}  // namespace exosim::test
