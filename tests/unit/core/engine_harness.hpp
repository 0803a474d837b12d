#pragma once
// Test driver for the engine: plays the transport (stores succeed, TLS comes up at once) and
// returns the exact bytes the engine would put on the wire.
#include <string>
#include <string_view>
#include <vector>

#include "core/engine.hpp"
#include "policy/rfc_policy.hpp"

namespace exosim::test {

inline policy::RfcPolicyConfig rfc_config() {
    policy::RfcPolicyConfig c;
    c.hostname = "mx.test";
    c.accounts = {{"user", "pass"}};
    c.size_limit = 1000;
    return c;
}

class Harness {
public:
    explicit Harness(policy::RfcPolicyConfig cfg = rfc_config(), bool start = true)
        : policy_(std::move(cfg)), engine_(policy_, core::ConnectionInfo{"0011223344556677", "test", "", "", "", false}) {
        if (start) {
            engine_.start();
            wire_ = drain();
        }
    }

    // Feeds `bytes` (or each octet on its own) and returns the wire bytes produced.
    std::string feed(std::string_view bytes, bool bytewise = false) {
        std::string out;
        if (!bytewise) {
            engine_.feed(bytes);
            out = drain();
        } else {
            for (char c : bytes) {
                engine_.feed(std::string_view(&c, 1));
                out += drain();
            }
        }
        wire_ += out;
        return out;
    }

    std::string drain() {
        std::string out;
        for (bool more = true; more;) {
            more = false;
            for (auto& a : engine_.take_actions()) {
                if (auto* r = std::get_if<core::SendReply>(&a)) out += r->reply.render();
                else if (auto* raw = std::get_if<core::SendRaw>(&a)) out += raw->bytes;
                else if (auto* s = std::get_if<core::StoreMessage>(&a)) {
                    stored.push_back(*s);
                    engine_.message_stored(store_ok, "id" + std::to_string(stored.size()));
                    more = true;
                } else if (std::holds_alternative<core::StartTls>(a)) {
                    out += "<TLS>";
                    if (auto_tls) engine_.tls_established(core::TlsInfo{core::TlsVersion::tls1_3, "TLS_AES_128_GCM_SHA256", {}, false});
                    more = true;
                } else if (std::holds_alternative<core::Close>(a)) {
                    out += "<CLOSE>";
                } else if (auto* p = std::get_if<core::Pause>(&a)) {
                    out += "<PAUSE " + std::to_string(p->duration.count()) + ">";
                }
            }
            for (auto& e : engine_.take_events()) events.push_back(std::move(e));
        }
        return out;
    }

    bool has_finding(std::string_view rule) const {
        for (const auto& e : events) {
            if (auto* f = std::get_if<core::Finding>(&e); f && f->rule == rule) return true;
        }
        return false;
    }

    std::vector<std::string> commands() const {
        std::vector<std::string> out;
        for (const auto& e : events) {
            if (auto* c = std::get_if<core::CommandReceived>(&e)) out.push_back(c->line);
        }
        return out;
    }

    core::Engine& engine() { return engine_; }
    const std::string& wire() const { return wire_; }

    std::vector<core::StoreMessage> stored;
    std::vector<core::Event> events;
    bool store_ok = true;
    bool auto_tls = true;

private:
    policy::RfcPolicy policy_;
    core::Engine engine_;
    std::string wire_;
};

}  // namespace exosim::test
