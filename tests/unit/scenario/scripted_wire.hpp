#pragma once
// Test driver: the real core::Engine behind ScriptPolicy (over the RFC baseline policy) with
// ReplyScript between take_actions() and a fake transport that records every write, in order.
// TLS "handshakes" succeed at once; messages are "stored" at once with id "msg-1".
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/engine.hpp"
#include "core/overloaded.hpp"
#include "policy/rfc_policy.hpp"
#include "scenario/cursor.hpp"
#include "scenario/reply_script.hpp"
#include "scenario/script_policy.hpp"
#include "scenario/yaml_io.hpp"

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

class ScriptedWire {
public:
    ScriptedWire(std::shared_ptr<const Scenario> scenario, std::shared_ptr<Cursor> cursor)
        : policy_(std::make_unique<ScriptPolicy>(rfc_inner(), scenario, std::move(cursor))),
          script_(policy_->session()),
          engine_(*policy_, core::ConnectionInfo{"0000000000000001", "submission", "127.0.0.1:587", "127.0.0.1:5000", "203.0.113.1", false}) {
        engine_.start();
        pump();
    }

    // The client sends `bytes`; returns what the server wrote in response, writes separated by "|".
    std::string send(std::string_view bytes) {
        writes_.clear();
        if (!closed_ && !stalled_) {
            engine_.feed(bytes);
            pump();
        }
        return joined();
    }
    std::string greeting() const { return joined(); }
    const std::vector<std::string>& writes() const { return writes_; }
    const std::vector<std::string>& log() const { return log_; }  // every action executed, in order
    bool closed() const { return closed_; }
    bool stalled() const { return stalled_; }
    bool tls() const { return tls_; }
    unsigned attempt() const { return policy_->attempt(); }

private:
    std::string joined() const {
        std::string out;
        for (const auto& w : writes_) out += (out.empty() ? "" : "|") + w;
        return out;
    }

    void pump() {
        while (true) {
            const auto events = engine_.take_events();
            auto actions = script_.rewrite(events, engine_.take_actions());
            if (actions.empty()) return;
            for (auto& a : actions) execute(a);
        }
    }

    // std::visit with one lambda per alternative: a new core::Action does not compile until handled.
    void execute(const core::Action& a) {
        std::visit(core::Overloaded{
                       [&](const core::SendReply& r) {
                           writes_.push_back(r.reply.render());
                           log_.push_back("write " + r.reply.render());
                       },
                       [&](const core::SendRaw& raw) {
                           writes_.push_back(raw.bytes);
                           log_.push_back("raw " + raw.bytes);
                       },
                       [&](const core::Pause& p) { log_.push_back("pause " + std::to_string(p.duration.count())); },
                       [&](const core::StartTls&) {
                           log_.push_back("tls");
                           tls_ = true;
                           engine_.tls_established(
                               core::TlsInfo{core::TlsVersion::tls1_3, "TLS_AES_128_GCM_SHA256", {}, false});
                       },
                       [&](const core::StoreMessage&) {
                           log_.push_back("store");
                           engine_.message_stored(true, "msg-1");
                       },
                       [&](const core::Close&) {
                           log_.push_back("close");
                           closed_ = true;
                       },
                       [&](const core::Stall&) {
                           log_.push_back("stall");
                           stalled_ = true;
                       },
                       [&](const core::SendTlsAlert& t) { log_.push_back("tls-alert " + std::string(core::tls_alert_name(t.alert))); },
                   },
                   a);
    }

    std::unique_ptr<ScriptPolicy> policy_;
    ReplyScript script_;
    core::Engine engine_;
    std::vector<std::string> writes_;
    std::vector<std::string> log_;
    bool closed_ = false;
    bool stalled_ = false;
    bool tls_ = false;
};

}  // namespace exosim::scenario::testing
