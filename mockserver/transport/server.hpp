#pragma once
// The SMTP server: listeners, worker threads, per-connection sessions, graceful shutdown.
// No Asio in this header, so the app and the control API compile quickly against it.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/actions.hpp"
#include "core/events.hpp"
#include "core/session_policy.hpp"
#include "core/session_state.hpp"
#include "transport/listener_config.hpp"
#include "transport/registry.hpp"

namespace exosim::store {
class MessageStore;
}

namespace boost::asio::ssl {
class context;
}

namespace exosim::transport {

class CertificateAuthority;

// One policy per session, chosen from the listener's profile ("rfc", "exo-submission", ...).
// Called on the session's I/O thread; the policy lives as long as the session.
using PolicyFactory =
    std::function<std::unique_ptr<core::SessionPolicy>(const ListenerConfig&, const core::ConnectionInfo&)>;
// Real client address -> the address policy sees (AddressMap::seen).
using SeenAddressFn = std::function<std::string(std::string_view client_address)>;

// --- scenario hook (harness::ScenarioSlot) -------------------------------------------------
// Scripted behaviour for one session: the harness wraps the profile policy (ScriptPolicy),
// rewrites the engine's actions (ReplyScript) and may serve another TLS context (certificate
// variant, version range, ciphers). Used only on the session's own thread.
class SessionScript {
public:
    virtual ~SessionScript() = default;
    // Replaces the profile policy; called once, before the engine is made.
    virtual std::unique_ptr<core::SessionPolicy> wrap(std::unique_ptr<core::SessionPolicy> profile) = 0;
    // Called after every engine call with that call's events and actions, before executing them.
    virtual std::vector<core::Action> rewrite(const std::vector<core::Event>& events,
                                              std::vector<core::Action> actions) = 0;
    // The TLS context for this session's handshake instead of the listener's; null: the listener's.
    virtual std::shared_ptr<boost::asio::ssl::context> tls_context() { return nullptr; }
};

// Asked at the start of every session (after SessionRegistry::started, before any TLS
// handshake), on the session's thread; null: the session runs unscripted. Thread-safe.
class SessionHook {
public:
    virtual ~SessionHook() = default;
    virtual std::unique_ptr<SessionScript> on_session_start(const SessionRecord& record,
                                                            const ListenerConfig& listener) = 0;
};
// --- end scenario hook ----------------------------------------------------------------------

struct ServerOptions {
    std::vector<ListenerConfig> listeners;
    std::size_t threads = 0;        // I/O threads; 0: hardware concurrency (at least 1)
    // Threads running the blocking MessageStore::store. fsync waits on the disk, not the CPU, and
    // concurrent fsyncs share one ext4/xfs journal commit: more threads = group commit for free.
    std::size_t store_threads = 16;
    PolicyFactory policy_factory;   // required
    SeenAddressFn seen_address;     // default: the real address
    store::MessageStore* store = nullptr;      // required; outlives the server
    SessionRegistry* registry = nullptr;       // optional; outlives the server
    CertificateAuthority* ca = nullptr;        // required when a TLS listener names a generated certificate
    SessionSinkFactory sink_factory;           // optional per-session sink (transcripts)
    std::shared_ptr<SessionHook> session_hook; // optional: scenario scripting (harness)
    std::chrono::milliseconds shutdown_grace{std::chrono::seconds(10)};
    // After the last reply, keep reading (and discarding) this long so the client receives the
    // reply before the close instead of a reset.
    std::chrono::milliseconds close_linger{std::chrono::milliseconds(500)};
    bool handle_signals = false;  // SIGINT/SIGTERM end wait_for_signal() (the app sets it)
    // Per-session TLS evidence (serve --evidence): <evidence_dir>/<session-id>.keylog and a
    // "client-hello" note in the session's events. Listeners need TlsSettings::evidence too.
    std::filesystem::path evidence_dir;
};

struct BoundListener {
    std::string name;
    std::string address;
    std::uint16_t port = 0;  // the bound port, also when the configuration said 0
    std::string profile;
    TlsMode tls_mode = TlsMode::starttls;
    ListenerBehaviour behaviour = ListenerBehaviour::smtp;
};

// "listening submission 127.0.0.1:1587 profile=rfc tls=starttls" (tests parse this line).
std::string listening_line(const BoundListener& listener);
std::string_view tls_mode_name(TlsMode mode);
std::string_view behaviour_name(ListenerBehaviour behaviour);

class Server {
public:
    explicit Server(ServerOptions options);
    // Stops without grace if still running, and joins every thread.
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Builds TLS contexts, binds every listener and starts the threads. Throws std::runtime_error
    // naming the listener when a context or a bind fails (nothing is left running then).
    void start();
    const std::vector<BoundListener>& listeners() const;
    const BoundListener& listener(std::string_view name) const;

    // Blocks until SIGINT/SIGTERM (handle_signals) or request_stop() from another thread.
    void wait_for_signal();
    void request_stop();

    // Graceful stop: close the listeners, tell idle sessions 421 4.3.2 (engine shutdown), let
    // sessions in flight finish for up to shutdown_grace, then cut the rest. Idempotent.
    void shutdown();

    std::size_t active_sessions() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace exosim::transport
