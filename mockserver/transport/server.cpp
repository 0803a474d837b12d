// Threading model: N worker threads, each running its own io_context (DESIGN's preference, and
// Beast's/Asio's "io_context per CPU" pattern). Each worker accepts on its own SO_REUSEPORT socket
// (detail::Listener), and a connection lives on the worker that accepted it, so a session's
// coroutine, socket, engine and timers are touched by one thread only: no strands, no locking on
// the hot path. Shared state (connection counters, registry, store, session tracker) is
// mutex-protected and touched once per connection or event. A disk store (fsync) runs on a
// separate thread pool; memory and off capture store inline.
#include "transport/server.hpp"

#include <algorithm>
#include <atomic>
#include <iostream>
#include <map>
#include <stdexcept>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>

#include "store/message_store.hpp"
#include "transport/certs.hpp"
#include "transport/listener.hpp"
#include "transport/tls_context.hpp"

namespace exosim::transport {

namespace asio = boost::asio;
using detail::ListenerRuntime;

std::string_view tls_mode_name(TlsMode mode) {
    switch (mode) {
    case TlsMode::starttls: return "starttls";
    case TlsMode::implicit: return "implicit";
    case TlsMode::none: return "none";
    }
    return "?";
}

std::string_view behaviour_name(ListenerBehaviour behaviour) {
    switch (behaviour) {
    case ListenerBehaviour::smtp: return "smtp";
    case ListenerBehaviour::blackhole: return "blackhole";
    case ListenerBehaviour::refuse: return "refuse";
    }
    return "?";
}

std::string listening_line(const BoundListener& l) {
    std::string line = "listening " + l.name + " " + l.address + ":" + std::to_string(l.port) +
                       " profile=" + l.profile + " tls=" + std::string(tls_mode_name(l.tls_mode));
    if (l.behaviour != ListenerBehaviour::smtp) line += " behaviour=" + std::string(behaviour_name(l.behaviour));
    return line;
}

namespace {

struct Worker {
    asio::io_context context{1};  // one thread runs it
    asio::executor_work_guard<asio::io_context::executor_type> guard = asio::make_work_guard(context);
    std::thread thread;
};

void run_worker(asio::io_context& context) {
    for (;;) {
        try {
            context.run();
            return;
        } catch (const std::exception& e) {
            std::cerr << "exosim: worker: " << e.what() << std::endl;
        }
    }
}

// The listener's context plus, for generated certificates, one per other generated name so a
// client's server_name picks its certificate (SniSelector).
void build_tls(const ListenerConfig& cfg, CertificateAuthority* ca, ListenerRuntime& runtime) {
    if (cfg.tls.mode == TlsMode::none) return;
    auto context_for = [&](const CertFiles& files) {
        try {
            return make_server_context(cfg.tls, files, ca ? ca->ca_file() : std::filesystem::path{});
        } catch (const std::exception& e) {
            throw std::runtime_error("listener '" + cfg.name + "': " + e.what());
        }
    };
    if (!cfg.tls.cert_file.empty()) {
        runtime.tls = context_for({cfg.tls.cert_file, cfg.tls.key_file.empty() ? cfg.tls.cert_file : cfg.tls.key_file});
        return;
    }
    if (!ca)
        throw std::runtime_error("listener '" + cfg.name + "': no certificate authority for certificate '" +
                                 cfg.tls.certificate + "'");
    runtime.tls = context_for(ca->server_cert(cfg.tls.certificate));
    std::map<std::string, std::shared_ptr<asio::ssl::context>> alternates;
    for (const std::string& name : CertificateAuthority::default_names())
        if (name != cfg.tls.certificate) alternates.emplace(name, context_for(ca->server_cert(name)));
    runtime.sni = std::make_shared<SniSelector>(runtime.tls, std::move(alternates), cfg.tls.certificate == "localhost");
    runtime.sni->install();
}

}  // namespace

struct Server::Impl {
    explicit Impl(ServerOptions o) : options(std::move(o)), store_pool(std::max<std::size_t>(1, options.store_threads)) {
        services.policy_factory = &options.policy_factory;
        services.seen_address = &options.seen_address;
        services.sink_factory = &options.sink_factory;
        services.session_hook = options.session_hook.get();
        services.store = options.store;
        services.registry = options.registry;
        services.store_pool = &store_pool;
        services.tracker = &tracker;
        services.close_linger = options.close_linger;
        services.evidence_dir = options.evidence_dir;
    }

    void stop_threads();

    ServerOptions options;
    asio::thread_pool store_pool;
    detail::SessionTracker tracker;
    detail::SessionServices services;
    std::vector<std::unique_ptr<Worker>> workers;
    std::vector<std::unique_ptr<detail::Listener>> listeners;
    std::vector<BoundListener> bound;
    asio::io_context signal_context{1};
    asio::executor_work_guard<asio::io_context::executor_type> signal_guard = asio::make_work_guard(signal_context);
    std::optional<asio::signal_set> signals;
    bool started = false;
    std::atomic<bool> stopped{false};
};

Server::Server(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
    if (!impl_->options.policy_factory) throw std::invalid_argument("server: a policy factory is required");
    if (!impl_->options.store) throw std::invalid_argument("server: a message store is required");
}

Server::~Server() {
    if (!impl_->started) return;
    impl_->options.shutdown_grace = std::chrono::milliseconds(0);
    shutdown();
}

void Server::start() {
    Impl& s = *impl_;
    if (s.started) throw std::logic_error("server: already started");
    std::size_t n = s.options.threads ? s.options.threads : std::max(1u, std::thread::hardware_concurrency());
    for (std::size_t i = 0; i < n; ++i) s.workers.push_back(std::make_unique<Worker>());
    std::vector<asio::io_context*> contexts;
    for (auto& w : s.workers) contexts.push_back(&w->context);
    // Contexts and binds first: a configuration error leaves nothing running.
    for (const ListenerConfig& cfg : s.options.listeners) {
        auto runtime = std::make_shared<ListenerRuntime>();
        runtime->config = cfg;
        build_tls(cfg, s.options.ca, *runtime);
        runtime->limits = std::make_shared<ConnectionLimits>(cfg.limits);
        auto listener = std::make_unique<detail::Listener>(contexts, std::move(runtime));
        s.bound.push_back({cfg.name, cfg.address, listener->port(), cfg.profile, cfg.tls.mode, cfg.behaviour});
        s.listeners.push_back(std::move(listener));
    }
    if (s.options.handle_signals) {
        s.signals.emplace(s.signal_context, SIGINT, SIGTERM);
        s.signals->async_wait([&s](const boost::system::error_code& ec, int) {
            if (!ec) s.signal_context.stop();
        });
    }
    for (auto& listener : s.listeners) listener->start(s.services);
    for (auto& w : s.workers) w->thread = std::thread([ctx = &w->context] { run_worker(*ctx); });
    s.started = true;
}

const std::vector<BoundListener>& Server::listeners() const { return impl_->bound; }

const BoundListener& Server::listener(std::string_view name) const {
    for (const BoundListener& l : impl_->bound)
        if (l.name == name) return l;
    throw std::out_of_range("no listener named '" + std::string(name) + "'");
}

void Server::wait_for_signal() { impl_->signal_context.run(); }

void Server::request_stop() { impl_->signal_context.stop(); }

std::size_t Server::active_sessions() const { return impl_->tracker.size(); }

void Server::shutdown() {
    Impl& s = *impl_;
    if (!s.started || s.stopped.exchange(true)) return;
    for (auto& listener : s.listeners) listener->close();
    // Idle sessions get 421 4.3.2 from their engine; sessions in a transaction finish it first.
    for (const auto& control : s.tracker.snapshot()) {
        asio::post(control->watchdog.get_executor(), [control] {
            control->shutdown_requested = true;
            control->watchdog.cancel();
        });
    }
    auto until = std::chrono::steady_clock::now() + s.options.shutdown_grace;
    while (s.tracker.size() > 0 && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    s.stop_threads();
}

void Server::Impl::stop_threads() {
    for (auto& w : workers) {
        w->guard.reset();
        w->context.stop();
    }
    for (auto& w : workers)
        if (w->thread.joinable()) w->thread.join();
    // Stores in flight finish (and post their result to a stopped context) before the contexts,
    // and the session frames still in them, are destroyed.
    store_pool.join();
    listeners.clear();
    workers.clear();
    if (signals) {
        boost::system::error_code ec;
        signals->cancel(ec);
    }
}

}  // namespace exosim::transport
