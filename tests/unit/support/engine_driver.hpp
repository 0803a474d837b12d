#pragma once
// The one test transport for core::Engine: executes the engine's actions in order and answers the
// two that wait for the transport (StartTls, StoreMessage) the way the test asks, until the engine
// has nothing left to do. Used by the unit tests, the golden transcripts and the engine fuzzer
// (header-only, std + core only, so the fuzz build can include it).
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "core/engine.hpp"
#include "core/overloaded.hpp"

namespace exosim::test {

inline core::TlsInfo tls13() { return core::TlsInfo{core::TlsVersion::tls1_3, "TLS_AES_128_GCM_SHA256", {}, false}; }

struct DriverOptions {
    // The handshake StartTls gets at once; nullopt leaves it pending (establish_tls() finishes it).
    std::optional<core::TlsInfo> tls = tls13();
    bool store_ok = true;
    // The store's id for the n-th message (from 1).
    std::function<std::string(std::size_t)> store_id = [](std::size_t n) { return "id" + std::to_string(n); };
    // Write "<TLS>", "<CLOSE>", "<PAUSE n>" into the returned bytes, where those actions ran.
    bool markers = false;
    // Stands between the engine and the transport (scenario::ReplyScript::rewrite).
    std::function<std::vector<core::Action>(const std::vector<core::Event>&, std::vector<core::Action>)> rewrite;
};

class EngineDriver {
public:
    explicit EngineDriver(core::Engine& engine, DriverOptions options = {})
        : engine_(engine), options_(std::move(options)) {}

    // Feeds `bytes` (or each octet on its own) and returns what the server wrote in response.
    std::string feed(std::string_view bytes, bool bytewise = false) {
        if (!bytewise) {
            engine_.feed(bytes);
            return drain();
        }
        std::string out;
        for (char c : bytes) {
            engine_.feed(std::string_view(&c, 1));
            out += drain();
        }
        return out;
    }

    // Runs rounds (events, then actions) until one yields neither; returns the bytes written.
    std::string drain() {
        std::string out;
        for (bool more = true; more;) {
            std::vector<core::Event> events = engine_.take_events();
            note_upgrade(events);
            std::vector<core::Action> actions = engine_.take_actions();
            if (options_.rewrite) actions = options_.rewrite(events, std::move(actions));
            more = !events.empty() || !actions.empty();
            for (auto& e : events) this->events.push_back(std::move(e));
            for (const core::Action& a : actions) execute(a, out);
        }
        wire += out;
        return out;
    }

    // Finishes a pending handshake (DriverOptions::tls was nullopt) and runs what follows.
    std::string establish_tls(core::TlsInfo info = tls13()) {
        if (!tls_pending) return {};
        tls_pending = false;
        tls_active = true;
        engine_.tls_established(std::move(info));
        return drain();
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
    DriverOptions& options() { return options_; }

    std::string wire;                          // every byte written, in order
    std::vector<std::string> writes;           // each SendReply / SendRaw on its own
    std::vector<std::string> log;              // every action executed: "write ..", "tls", "close", ...
    std::vector<core::Event> events;
    std::vector<core::StoreMessage> stored;
    std::vector<std::chrono::milliseconds> pauses;
    std::vector<core::TlsAlert> alerts;        // each SendTlsAlert, in order
    bool tls_pending = false;
    bool tls_active = false;
    bool closed = false;
    bool stalled = false;
    std::size_t actions_after_close = 0;       // must stay 0 (the fuzzer checks it)
    std::size_t commands_during_upgrade = 0;   // CommandReceived between StartTls and the handshake

private:
    // Between TlsRequested and tls_established the engine must execute nothing (RFC 3207 4.2).
    void note_upgrade(const std::vector<core::Event>& batch) {
        bool upgrading = tls_pending;
        for (const auto& e : batch) {
            if (std::holds_alternative<core::TlsRequested>(e)) upgrading = true;
            if (upgrading && std::holds_alternative<core::CommandReceived>(e)) ++commands_during_upgrade;
        }
    }

    void write(std::string bytes, std::string_view kind, std::string& out) {
        log.push_back(std::string(kind) + " " + bytes);
        out += bytes;
        writes.push_back(std::move(bytes));
    }

    void marker(std::string text, std::string& out) {
        if (options_.markers) out += "<" + text + ">";
    }

    // One lambda per alternative, no catch-all: a new core::Action does not compile until handled.
    void execute(const core::Action& action, std::string& out) {
        if (closed) ++actions_after_close;
        std::visit(core::Overloaded{
                       [&](const core::SendReply& r) { write(r.reply.render(), "write", out); },
                       [&](const core::SendRaw& r) { write(r.bytes, "raw", out); },
                       [&](const core::Pause& p) {
                           pauses.push_back(p.duration);
                           log.push_back("pause " + std::to_string(p.duration.count()));
                           marker("PAUSE " + std::to_string(p.duration.count()), out);
                       },
                       [&](const core::StartTls&) {
                           log.push_back("tls");
                           marker("TLS", out);
                           tls_pending = true;
                           if (options_.tls) {
                               tls_pending = false;
                               tls_active = true;
                               engine_.tls_established(*options_.tls);
                           }
                       },
                       [&](const core::StoreMessage& s) {
                           log.push_back("store");
                           stored.push_back(s);
                           engine_.message_stored(options_.store_ok, options_.store_id(stored.size()));
                       },
                       [&](const core::Close&) {
                           log.push_back("close");
                           marker("CLOSE", out);
                           closed = true;
                       },
                       [&](const core::Stall&) {
                           log.push_back("stall");
                           stalled = true;
                       },
                       [&](const core::SendTlsAlert& t) {
                           const std::string name(core::tls_alert_name(t.alert));
                           log.push_back("tls-alert " + name);
                           marker("TLS-ALERT " + name, out);
                           alerts.push_back(t.alert);
                       },
                   },
                   action);
    }

    core::Engine& engine_;
    DriverOptions options_;
};

}  // namespace exosim::test
