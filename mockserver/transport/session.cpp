// The per-connection coroutine: one Session owns its socket, TLS stream, engine, policy and timers
// (STYLE 5). It reads, feeds the engine everything it read, and executes the engine's actions in
// order. Deadlines follow RFC 5321 4.5.3.2 as whole-command deadlines (SR-20, SR-21, SR-22, TLS-03).
// This file: the record and events, the SMTP flow and the dispatch of engine actions.
#include "transport/session_impl.hpp"

#include <algorithm>
#include <variant>

#include "core/overloaded.hpp"
#include "core/rfc_replies.hpp"
#include "transport/session_id.hpp"
#include "transport/tls_context.hpp"

namespace exosim::transport::detail {

SessionTracker::Handle SessionTracker::add(std::shared_ptr<SessionControl> control) {
    std::lock_guard lock(mutex_);
    sessions_.push_front(std::move(control));
    return sessions_.begin();
}

void SessionTracker::remove(Handle handle) {
    std::lock_guard lock(mutex_);
    sessions_.erase(handle);
}

std::vector<std::shared_ptr<SessionControl>> SessionTracker::snapshot() const {
    std::lock_guard lock(mutex_);
    return {sessions_.begin(), sessions_.end()};
}

std::size_t SessionTracker::size() const {
    std::lock_guard lock(mutex_);
    return sessions_.size();
}

void Session::init_record(const ConnectionEnds& ends) {
    boost::system::error_code ec;
    const tcp::endpoint& remote = ends.peer;
    const tcp::endpoint local = ends.local ? *ends.local : socket_.local_endpoint(ec);
    record_.id = new_session_id();
    record_.listener = config_.name;
    record_.profile = config_.profile;
    record_.local_address = local.address().to_string();
    record_.client_address = remote.address().to_string();
    record_.seen_address = services_.seen_address && *services_.seen_address
                               ? (*services_.seen_address)(record_.client_address)
                               : record_.client_address;
    record_.started = std::chrono::system_clock::now();
    if (services_.sink_factory && *services_.sink_factory) sink_ = (*services_.sink_factory)(record_);
    if (services_.registry) services_.registry->started(record_);
}

core::ConnectionInfo Session::connection_info() const {
    core::ConnectionInfo info;
    info.session_id = record_.id;
    info.listener = record_.listener;
    info.local_address = record_.local_address;
    info.client_address = record_.client_address;
    info.seen_address = record_.seen_address;
    info.implicit_tls = config_.tls.mode == TlsMode::implicit;
    return info;
}

void Session::emit(SessionEventData data) {
    bool observed = services_.registry && services_.registry->has_observers();
    if (!sink_ && !observed) return;
    TimedEvent event{std::chrono::duration_cast<milliseconds>(Clock::now() - started_), std::move(data)};
    if (sink_) sink_->on_event(record_, event);
    if (observed) services_.registry->event(record_, event);
}

std::vector<core::Event> Session::publish_engine_events() {
    bool changed = false;
    std::vector<core::Event> events = engine_->take_events();
    std::vector<core::Event> for_script;
    if (script_) for_script = events;
    for (core::Event& e : events) {
        if (auto* f = std::get_if<core::Finding>(&e)) {
            record_.findings.push_back(*f);
            changed = true;
        } else if (auto* a = std::get_if<core::AuthResult>(&e); a && a->success) {
            record_.auth_identity = a->identity;
            changed = true;
        }
        emit(std::move(e));
    }
    if (changed && services_.registry) services_.registry->update(record_);
    return for_script;
}

void Session::finish(CloseReason reason) {
    if (stage_ == Stage::finished) return;
    stage_ = Stage::finished;
    if (!record_.close_reason) record_.close_reason = reason;
    if (engine_ && engine_->state().helo) record_.helo = *engine_->state().helo;
    record_.ended = std::chrono::system_clock::now();
    if (sink_) sink_->on_end(record_);
    if (services_.registry) services_.registry->ended(record_);
}

// --- session flow ----------------------------------------------------------------------------

asio::awaitable<void> Session::refuse_over_limit() {
    note(note::ServerEnded{ServerEnd::connection_limit});
    record_.close_reason = CloseReason::connection_limit;
    // SR-23: 421 before the greeting. On an implicit-TLS port plaintext would be garbage: just close.
    if (config_.tls.mode != TlsMode::implicit && config_.behaviour == ListenerBehaviour::smtp) {
        const std::string reply = core::rfc_replies::too_many_connections().render();
        emit(WireChunk{Direction::out, reply, false});
        bool written = co_await write_all(reply);
        if (written) co_await linger();
    }
    boost::system::error_code ec;
    socket_.close(ec);
    finish(CloseReason::connection_limit);
}

asio::awaitable<void> Session::run() {
    if (services_.session_hook) script_ = services_.session_hook->on_session_start(record_, config_);
    switch (config_.behaviour) {
    case ListenerBehaviour::refuse: {
        note(note::ServerEnded{ServerEnd::refused});
        boost::system::error_code ec;
        socket_.close(ec);
        finish(CloseReason::refused);
        co_return;
    }
    case ListenerBehaviour::blackhole:
        co_await blackhole();
        co_return;
    case ListenerBehaviour::smtp:
        break;
    }
    if (config_.tls.mode == TlsMode::implicit) {
        bool secured = co_await handshake();
        if (!secured) {
            co_await close_connection();
            finish(CloseReason::tls_failed);
            co_return;
        }
    }
    co_await serve_smtp();
    co_await close_connection();
    finish(CloseReason::closed);
}

asio::awaitable<void> Session::blackhole() {
    note(note::Blackholed{});
    set_deadline(Clock::now() + config_.timeouts.blackhole);
    for (;;) {
        std::string_view chunk;
        ReadResult r = co_await read_some(chunk);
        if (r != ReadResult::data) {
            record_.close_reason = r == ReadResult::timeout ? CloseReason::timeout
                                  : r == ReadResult::eof   ? CloseReason::eof
                                                           : CloseReason::shutdown;
            break;
        }
        record_.bytes_in += chunk.size();
        emit(WireChunk{Direction::in, redactor_.filter(chunk, false), false});
    }
    boost::system::error_code ec;
    socket_.close(ec);
    finish(*record_.close_reason);
}

void Session::arm_deadline() {
    auto now = Clock::now();
    bool in_data = engine_->in_message_data();
    if (in_data && !in_data_)
        set_deadline(now + config_.timeouts.data_block);
    else if (!in_data && (in_data_ || reply_sent_))
        set_deadline(now + config_.timeouts.command);  // SR-20: armed once per command, not per read
    in_data_ = in_data;
    reply_sent_ = false;
}

void Session::on_chunk(std::string_view chunk) {
    record_.bytes_in += chunk.size();
    if (in_data_ && config_.timeouts.min_data_rate > 0) {
        // SR-21 (Postfix smtpd_min_data_rate): each octet of message data buys 1/rate s, but the
        // deadline never lies further ahead than one data-block timeout.
        auto earned = milliseconds(chunk.size() * 1000 / config_.timeouts.min_data_rate);
        set_deadline(std::min(deadline_ + earned, Clock::now() + config_.timeouts.data_block));
    }
    bool in_auth = engine_->phase() == core::Phase::auth;
    if (sink_ || (services_.registry && services_.registry->has_observers()))
        emit(WireChunk{Direction::in, redactor_.filter(chunk, in_auth), tls_.has_value()});
    else
        redactor_.filter(chunk, in_auth);  // keep its line state right for later observers
}

asio::awaitable<void> Session::serve_smtp() {
    policy_ = (*services_.policy_factory)(config_, connection_info());
    if (script_) policy_ = script_->wrap(std::move(policy_));
    engine_.emplace(*policy_, connection_info());
    // Implicit TLS: the session is encrypted before the engine exists; the engine takes this
    // before start() (ConnectionInfo::implicit_tls) and counts the session as TLS from the greeting.
    if (tls_) engine_->tls_established(describe_tls(tls_->native_handle()));
    engine_->start();
    reply_sent_ = true;
    co_await execute_pending();
    while (!stopped() && !engine_->closed()) {
        arm_deadline();
        std::string_view chunk;
        ReadResult result = co_await read_some(chunk);
        switch (result) {
        case ReadResult::data:
            on_chunk(chunk);
            engine_->feed(chunk);
            break;
        case ReadResult::shutdown:
            note(note::ServerEnded{ServerEnd::shutdown});
            shutdown_told_ = true;
            record_.close_reason = CloseReason::shutdown;
            engine_->shutdown();
            break;
        case ReadResult::timeout:
            note(note::Timeout{in_data_ ? Deadline::data : Deadline::command});
            record_.close_reason = CloseReason::timeout;
            engine_->timeout();
            co_await execute_pending();
            stop();
            continue;
        case ReadResult::eof:
        case ReadResult::error:
            note(note::PeerClosed{});
            record_.close_reason = CloseReason::eof;
            engine_->eof();
            publish_engine_events();
            stop();
            continue;
        }
        co_await execute_pending();
    }
}

asio::awaitable<void> Session::execute_pending() {
    for (;;) {
        std::vector<core::Event> events = publish_engine_events();
        std::vector<core::Action> actions = engine_->take_actions();
        if (actions.empty()) break;
        if (script_) actions = script_->rewrite(events, std::move(actions));
        for (core::Action& action : actions) {
            if (stopped() || batch_abandoned_) break;
            co_await execute(action);
        }
        batch_abandoned_ = false;
        if (stopped()) break;
    }
    co_await flush();
    if (engine_->closed()) stop();
}

asio::awaitable<void> Session::execute(core::Action& action) {
    return std::visit(core::Overloaded{
                          [this](core::SendReply& a) { return queue_reply(a); },
                          [this](core::SendRaw& a) { return send_raw(a); },
                          [this](core::Pause& a) { return pause(a); },
                          [this](core::StartTls&) { return start_tls(); },
                          [this](core::StoreMessage& a) { return store_message(a); },
                          [this](core::Close& a) { return close_requested(a); },
                          [this](core::Stall&) { return stall(); },
                          [this](core::SendTlsAlert& a) { return send_tls_alert(a); },
                      },
                      action);
}

asio::awaitable<void> Session::queue_reply(core::SendReply& reply) {
    pending_out_ += reply.reply.render();  // coalesced: flushed before the next read or other action
    co_return;
}

asio::awaitable<void> Session::send_raw(core::SendRaw& raw) {
    co_await flush();  // scripted raw bytes keep their own write boundary
    pending_out_ = std::move(raw.bytes);
    co_await flush();
}

asio::awaitable<void> Session::pause(core::Pause& pause) {
    co_await flush();
    io_timer_.expires_after(pause.duration);
    co_await io_timer_.async_wait(use_tuple);
    if (stage_ == Stage::awaiting_greeting) check_pregreet();
}

asio::awaitable<void> Session::close_requested(core::Close& close) {
    co_await flush();
    if (!record_.close_reason) record_.close_reason = CloseReason::closed;
    boost::system::error_code ec;
    switch (close.how) {
        case core::CloseHow::fin: break;
        case core::CloseHow::reset: reset_on_close_ = true; break;  // close_connection() aborts
        case core::CloseHow::half_close:
            socket_.shutdown(tcp::socket::shutdown_send, ec);
            co_await read_until_peer_leaves();
            break;
    }
    stop();
}

asio::awaitable<void> Session::stall() {
    // Scripted stall: stop answering, keep reading (and recording) until the client leaves or
    // the command deadline passes; then close without a word.
    co_await flush();
    note(note::Stalled{});
    co_await read_until_peer_leaves();
    record_.close_reason = CloseReason::stall;
    stop();
}

asio::awaitable<void> Session::read_until_peer_leaves() {
    set_deadline(Clock::now() + config_.timeouts.command);
    for (;;) {
        std::string_view chunk;
        ReadResult result = co_await read_some(chunk);
        if (result != ReadResult::data) {
            // Who ended the stall matters to the verdict (the client's own timeout vs ours).
            if (result == ReadResult::eof || result == ReadResult::error) note(note::PeerClosed{true});
            else if (result == ReadResult::timeout) note(note::Timeout{Deadline::stall});
            break;
        }
        record_.bytes_in += chunk.size();
        emit(WireChunk{Direction::in, redactor_.filter(chunk, false), tls_.has_value()});
    }
}

asio::awaitable<void> run_session(tcp::socket socket, ConnectionEnds ends, std::shared_ptr<const ListenerRuntime> listener,
                                  std::optional<ConnectionLimits::Slot> slot, const SessionServices& services) {
    Session session(std::move(socket), ends, std::move(listener), services);
    if (!slot)
        co_await session.refuse_over_limit();
    else
        co_await session.run();
}


}  // namespace exosim::transport::detail
