// The per-connection coroutine: one Session owns its socket, TLS stream, engine, policy and timers
// (STYLE 5). It reads, feeds the engine everything it read, and executes the engine's actions in
// order. Deadlines follow RFC 5321 4.5.3.2 as whole-command deadlines (SR-20, SR-21, SR-22, TLS-03).
#include "transport/session.hpp"

#include <algorithm>
#include <array>
#include <string>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "core/engine.hpp"
#include "store/message_store.hpp"
#include "transport/auth_redactor.hpp"
#include "transport/session_id.hpp"
#include "transport/store_handoff.hpp"
#include "transport/tls_context.hpp"

// GCC 12 note: a co_await inside an if/switch condition miscompiled here (SIGILL on resume), so
// every awaited value is first stored in a local.

namespace exosim::transport::detail {

using namespace asio::experimental::awaitable_operators;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// Bytes taken from the socket per read (a per-thread buffer: costs nothing per connection). The
// engine caps what it keeps (limits::max_pipelined_input).
constexpr std::size_t read_chunk_size = 64 * 1024;
// After a read that filled the buffer, more is probably waiting: read again without asking epoll
// first, at most this many times in a row so that one fast sender cannot starve the thread's
// other sessions.
constexpr int max_reads_without_wait = 8;
// A TLS read returns at most one record (16 KiB of plaintext); this buffer is per TLS session.
constexpr std::size_t tls_read_size = 16 * 1024;
// How long a TLS close_notify exchange may take before the socket is closed anyway.
constexpr milliseconds tls_shutdown_timeout{500};

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

namespace {

// Plain reads wait for readability and then read into this per-thread buffer, so an idle plain
// connection holds no read buffer (the memory target: < 16 KiB per idle connection).
// Safe because each I/O thread runs its own io_context and a chunk is fed before the next await.
std::array<char, read_chunk_size>& thread_read_buffer() {
    thread_local std::array<char, read_chunk_size> buffer;
    return buffer;
}

StoreOutcome store_blocking(store::MessageStore& store, std::string_view session_id, store::MessageMeta meta,
                            std::string_view content) {
    return guarded_store(
        session_id, [&] { return store.store(std::move(meta), content); }, [&] { return store.last_error(); });
}

// Runs the blocking store on the pool (fsync must not stall the I/O thread); the awaiting
// session resumes on its own executor.
asio::awaitable<StoreOutcome> store_on_pool(store::MessageStore& store, std::string session_id,
                                            store::MessageMeta meta, std::string content) {
    co_return store_blocking(store, session_id, std::move(meta), content);
}

std::string hex_octet(char c) {
    static constexpr char digits[] = "0123456789abcdef";
    auto v = static_cast<unsigned char>(c);
    return {digits[v >> 4], digits[v & 0xF]};
}

enum class ReadResult { data, eof, timeout, shutdown, error };

// How a TLS handshake (or the wait for its ClientHello) ended.
struct HandshakeResult {
    enum class Outcome { established, timed_out, failed };
    Outcome outcome = Outcome::established;
    std::string reason;  // failed: why

    static HandshakeResult timed_out() { return {Outcome::timed_out, {}}; }
    static HandshakeResult failed(std::string why) { return {Outcome::failed, std::move(why)}; }
};

class Session {
public:
    Session(tcp::socket socket, const ConnectionEnds& ends, std::shared_ptr<const ListenerRuntime> listener,
            const SessionServices& services)
        : socket_(std::move(socket)),
          listener_(std::move(listener)),
          config_(listener_->config),
          services_(services),
          control_(std::make_shared<SessionControl>(socket_.get_executor())),
          io_timer_(socket_.get_executor()),
          started_(Clock::now()) {
        tracker_handle_ = services_.tracker->add(control_);
        boost::system::error_code ec;
        socket_.non_blocking(true, ec);  // reads after readiness never block; async ops are unaffected
        socket_.set_option(tcp::no_delay(true), ec);
        init_record(ends);
    }
    ~Session() {
        control_->session_alive = false;
        control_->watchdog.cancel();
        finish(record_.close_reason.value_or(CloseReason::aborted));
        services_.tracker->remove(tracker_handle_);
    }
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    asio::awaitable<void> refuse_over_limit();
    asio::awaitable<void> run();

private:
    void init_record(const ConnectionEnds& ends);
    core::ConnectionInfo connection_info() const;
    // Events and the record.
    void emit(SessionEventData data);
    void note(TransportNote::Payload payload) { emit(TransportNote{std::move(payload)}); }
    // Returns the events when a script needs them (ReplyScript attributes replies to steps).
    std::vector<core::Event> publish_engine_events();
    void finish(CloseReason reason);
    // I/O.
    asio::awaitable<ReadResult> read_some(std::string_view& chunk);
    asio::awaitable<ReadResult> read_plain(std::string_view& chunk);
    asio::awaitable<bool> write_all(std::string_view bytes);
    asio::awaitable<void> flush();
    asio::awaitable<bool> handshake();
    asio::awaitable<void> close_connection();
    asio::awaitable<void> linger();
    asio::awaitable<HandshakeResult> expect_client_hello();
    void check_pregreet();
    // Engine.
    asio::awaitable<void> serve_smtp();
    asio::awaitable<void> blackhole();
    void arm_deadline();
    // Deadlines: deadline_ is when the current command (or data block, or stall) runs out. The
    // watchdog sleeps until then and, if the deadline has not moved on, cancels the socket's
    // pending operations; reads then report a timeout. Moving a deadline later costs nothing.
    void set_deadline(Clock::time_point when);
    void suspend_deadline() { set_deadline(Clock::time_point::max()); }  // phases with their own timer
    void watch();
    void on_watchdog(unsigned generation, const boost::system::error_code& ec);
    void interrupt();
    ReadResult interrupted_result() const;
    void on_chunk(std::string_view chunk);
    asio::awaitable<void> execute_pending();
    asio::awaitable<void> execute(core::Action& action);
    asio::awaitable<void> start_tls();
    asio::awaitable<void> store_message(core::StoreMessage& message);
    asio::awaitable<void> stall();

    tcp::socket socket_;
    std::optional<asio::ssl::stream<tcp::socket&>> tls_;  // after STARTTLS or for implicit TLS
    std::unique_ptr<std::array<char, tls_read_size>> tls_buffer_;
    bool tls_broken_ = false;  // a failed handshake: never write again, never fall back to plaintext

    std::shared_ptr<const ListenerRuntime> listener_;
    const ListenerConfig& config_;
    const SessionServices& services_;
    std::shared_ptr<SessionControl> control_;
    SessionTracker::Handle tracker_handle_;
    asio::steady_timer io_timer_;  // writes, handshakes, pauses

    std::unique_ptr<core::SessionPolicy> policy_;
    std::optional<core::Engine> engine_;
    std::unique_ptr<SessionSink> sink_;
    std::unique_ptr<SessionScript> script_;  // scenario scripting (harness); null: unscripted
    std::shared_ptr<asio::ssl::context> script_tls_;  // the context tls_ uses
    AuthRedactor redactor_;
    SessionRecord record_;
    Clock::time_point started_;
    Clock::time_point deadline_ = Clock::time_point::max();
    Clock::time_point watched_ = Clock::time_point::max();  // what the watchdog waits for; max: idle
    unsigned watch_generation_ = 0;
    bool expired_ = false;  // the watchdog fired at the deadline
    bool reading_ = false;  // a read is pending: the only operation the watchdog cancels
    int reads_without_wait_ = 0;  // reads in a row that filled the buffer (read_plain)
    std::string pending_out_;  // replies coalesced into one write
    bool reply_sent_ = false;  // a reply went out since the deadline was armed
    bool in_data_ = false;
    bool shutdown_told_ = false;
    bool greeting_sent_ = false;
    bool batch_abandoned_ = false;  // the engine closed mid-batch (pregreet rejected): drop the rest
    bool done_ = false;
    bool finished_ = false;
};

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
    if (finished_) return;
    finished_ = true;
    if (!record_.close_reason) record_.close_reason = reason;
    if (engine_ && engine_->state().helo) record_.helo = *engine_->state().helo;
    record_.ended = std::chrono::system_clock::now();
    if (sink_) sink_->on_end(record_);
    if (services_.registry) services_.registry->ended(record_);
}

// --- I/O -------------------------------------------------------------------------------------

asio::awaitable<ReadResult> Session::read_some(std::string_view& chunk) {
    if (ReadResult early = interrupted_result(); early != ReadResult::data) co_return early;
    if (!tls_) {
        ReadResult plain = co_await read_plain(chunk);
        co_return plain;
    }
    if (!tls_buffer_) tls_buffer_ = std::make_unique<std::array<char, tls_read_size>>();
    reading_ = true;
    auto [ec, n] = co_await tls_->async_read_some(asio::buffer(*tls_buffer_), use_tuple);
    reading_ = false;
    if (ReadResult late = interrupted_result(); late != ReadResult::data) co_return late;
    if (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated) co_return ReadResult::eof;
    if (ec) co_return ReadResult::error;
    chunk = std::string_view(tls_buffer_->data(), n);
    co_return ReadResult::data;
}

asio::awaitable<ReadResult> Session::read_plain(std::string_view& chunk) {
    for (;;) {
        if (reads_without_wait_ == 0 || reads_without_wait_ >= max_reads_without_wait) {
            reads_without_wait_ = 0;
            reading_ = true;
            auto [wait_ec] = co_await socket_.async_wait(tcp::socket::wait_read, use_tuple);
            reading_ = false;
            if (ReadResult late = interrupted_result(); late != ReadResult::data) co_return late;
            if (wait_ec) co_return ReadResult::error;
        } else if (ReadResult late = interrupted_result(); late != ReadResult::data) {
            co_return late;  // a trickle-proof deadline holds for a fast sender too
        }
        auto& buffer = thread_read_buffer();
        boost::system::error_code ec;
        std::size_t n = socket_.read_some(asio::buffer(buffer), ec);
        if (ec == asio::error::would_block || ec == asio::error::try_again) {
            reads_without_wait_ = 0;
            continue;
        }
        if (ec == asio::error::eof) co_return ReadResult::eof;
        if (ec) co_return ReadResult::error;
        reads_without_wait_ = n == buffer.size() ? reads_without_wait_ + 1 : 0;
        chunk = std::string_view(buffer.data(), n);
        co_return ReadResult::data;
    }
}

// A pending shutdown or an expired deadline, else ReadResult::data ("nothing to report").
ReadResult Session::interrupted_result() const {
    if (control_->shutdown_requested && !shutdown_told_) return ReadResult::shutdown;
    if (expired_ || Clock::now() >= deadline_) return ReadResult::timeout;
    return ReadResult::data;
}

void Session::set_deadline(Clock::time_point when) {
    deadline_ = when;
    if (when > Clock::now()) expired_ = false;
    if (when < watched_) watch();  // sooner than the watchdog would wake: re-arm it
}

void Session::watch() {
    watched_ = deadline_;
    ++watch_generation_;
    if (deadline_ == Clock::time_point::max()) {
        control_->watchdog.cancel();
        return;
    }
    control_->watchdog.expires_at(deadline_);
    control_->watchdog.async_wait([control = control_, self = this, generation = watch_generation_](
                                      const boost::system::error_code& ec) {
        if (control->session_alive) self->on_watchdog(generation, ec);
    });
}

void Session::on_watchdog(unsigned generation, const boost::system::error_code& ec) {
    if (generation != watch_generation_) return;  // superseded by a re-arm
    watched_ = Clock::time_point::max();
    if (ec == asio::error::operation_aborted) {
        // Server::shutdown: wake the session so it can tell the engine; keep the deadline.
        if (control_->shutdown_requested && !shutdown_told_) interrupt();
        if (deadline_ != Clock::time_point::max()) watch();
        return;
    }
    if (Clock::now() < deadline_) {  // moved later while we slept
        watch();
        return;
    }
    expired_ = true;
    interrupt();
}

// Only a pending read is cancelled: a write or a store in progress completes, and the next read
// reports the shutdown or timeout before it waits.
void Session::interrupt() {
    if (!reading_) return;
    boost::system::error_code ec;
    socket_.cancel(ec);
}

asio::awaitable<bool> Session::write_all(std::string_view bytes) {
    const std::size_t total = bytes.size();
    if (!tls_) {
        // Replies nearly always fit the socket buffer: one send, no timer, no suspension.
        boost::system::error_code ec;
        std::size_t n = socket_.write_some(asio::buffer(bytes.data(), bytes.size()), ec);
        if (ec && ec != asio::error::would_block && ec != asio::error::try_again) {
            note(note::WriteFailed{ec.message()});
            co_return false;
        }
        if (!ec) bytes.remove_prefix(n);
        if (bytes.empty()) {
            record_.bytes_out += total;
            co_return true;
        }
    }
    io_timer_.expires_after(config_.timeouts.command);
    auto buffer = asio::buffer(bytes.data(), bytes.size());
    std::variant<std::tuple<boost::system::error_code, std::size_t>, std::tuple<boost::system::error_code>> result;
    if (tls_)
        result = co_await (asio::async_write(*tls_, buffer, use_tuple) || io_timer_.async_wait(use_tuple));
    else
        result = co_await (asio::async_write(socket_, buffer, use_tuple) || io_timer_.async_wait(use_tuple));
    if (result.index() == 1) {
        note(note::Timeout{Deadline::write});
        co_return false;
    }
    if (auto ec = std::get<0>(std::get<0>(result))) {
        note(note::WriteFailed{ec.message()});
        co_return false;
    }
    record_.bytes_out += total;
    co_return true;
}

asio::awaitable<void> Session::flush() {
    if (pending_out_.empty()) co_return;
    std::string out = std::move(pending_out_);
    pending_out_.clear();
    if (tls_broken_ || done_) co_return;  // TLS-04: nothing in plaintext after a failed handshake
    emit(WireChunk{Direction::out, out, tls_.has_value()});
    reply_sent_ = true;
    greeting_sent_ = true;
    bool written = co_await write_all(out);
    if (!written) {
        record_.close_reason = CloseReason::io_error;
        done_ = true;
    }
}

asio::awaitable<bool> Session::handshake() {
    // A scenario may serve another certificate or version range for this session.
    std::shared_ptr<asio::ssl::context> context = script_ ? script_->tls_context() : nullptr;
    if (!context) context = listener_->tls;
    if (!context) {
        note(note::TlsFailed{"no TLS context on this listener"});
        co_return false;
    }
    suspend_deadline();     // TLS-03: the handshake has its own deadline (io_timer_)
    script_tls_ = context;  // the stream keeps a reference: keep the context alive with the session
    tls_.emplace(socket_, *context);
    SniSelector::set_local_address(tls_->native_handle(), &record_.local_address);
    // TLS-03: one deadline for the whole handshake, starting now.
    io_timer_.expires_after(config_.timeouts.tls_handshake);
    HandshakeResult result = co_await expect_client_hello();
    if (result.outcome == HandshakeResult::Outcome::established) {
        auto done = co_await (tls_->async_handshake(asio::ssl::stream_base::server, use_tuple) ||
                              io_timer_.async_wait(use_tuple));
        if (done.index() == 1) result = HandshakeResult::timed_out();
        else if (auto ec = std::get<0>(std::get<0>(done))) result = HandshakeResult::failed(ec.message());
    }
    if (result.outcome != HandshakeResult::Outcome::established) {
        tls_broken_ = true;
        if (result.outcome == HandshakeResult::Outcome::timed_out) {
            note(note::Timeout{Deadline::tls_handshake});
            record_.close_reason = CloseReason::tls_timeout;
        } else {
            note(note::TlsFailed{result.reason});
            record_.close_reason = CloseReason::tls_failed;
        }
        co_return false;
    }
    core::TlsInfo info = describe_tls(tls_->native_handle());
    record_.tls_version = std::string(core::tls_version_name(info.version));
    record_.tls_cipher = info.cipher;
    note(note::TlsEstablished{record_.tls_version, record_.tls_cipher, peer_verify_error(tls_->native_handle())});
    if (services_.registry) services_.registry->update(record_);
    co_return true;
}

// SR-01, SR-02, SR-36: the first byte of a TLS connection is a handshake record (0x16). Plaintext
// there (a command sent instead of a ClientHello, or pipelined plaintext that arrived after the
// read holding STARTTLS) fails at once, never executed, instead of OpenSSL waiting for the
// "record" its header announces. Established here means "a hello is coming".
asio::awaitable<HandshakeResult> Session::expect_client_hello() {
    auto ready = co_await (socket_.async_wait(tcp::socket::wait_read, use_tuple) || io_timer_.async_wait(use_tuple));
    if (ready.index() == 1) co_return HandshakeResult::timed_out();
    char first = 0;
    boost::system::error_code ec;
    std::size_t n = socket_.receive(asio::buffer(&first, 1), tcp::socket::message_peek, ec);
    if (ec || n == 0) co_return HandshakeResult::failed("connection closed before the TLS handshake");
    if (first != 0x16) {
        core::Finding finding{"plaintext-instead-of-tls", "first octet 0x" + hex_octet(first) +
                                                              " where a TLS ClientHello was expected"};
        record_.findings.push_back(finding);
        emit(core::Event{finding});
        co_return HandshakeResult::failed("plaintext where a TLS ClientHello was expected");
    }
    co_return HandshakeResult{};
}

// SR-06: input that arrived while the greeting was delayed (a Pause before the first reply).
void Session::check_pregreet() {
    boost::system::error_code ec;
    if (socket_.available(ec) == 0 || ec) return;
    auto& buffer = thread_read_buffer();
    std::size_t n = socket_.read_some(asio::buffer(buffer), ec);
    if (ec || n == 0) return;
    std::string_view chunk(buffer.data(), n);
    on_chunk(chunk);
    engine_->feed_pregreet(chunk);
    if (engine_->closed()) batch_abandoned_ = true;  // 554 instead of the greeting
}

asio::awaitable<void> Session::linger() {
    // Half-close, then drain for a moment so the peer reads our last reply rather than a reset
    // caused by its unread input.
    boost::system::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    if (ec || services_.close_linger.count() <= 0) co_return;
    auto until = Clock::now() + services_.close_linger;
    io_timer_.expires_at(until);
    while (Clock::now() < until) {
        auto result = co_await (socket_.async_wait(tcp::socket::wait_read, use_tuple) ||
                                io_timer_.async_wait(use_tuple));
        if (result.index() == 1 || std::get<0>(std::get<0>(result))) break;
        socket_.read_some(asio::buffer(thread_read_buffer()), ec);
        if (ec && ec != asio::error::would_block && ec != asio::error::try_again) break;
    }
}

asio::awaitable<void> Session::close_connection() {
    boost::system::error_code ec;
    suspend_deadline();  // closing has its own short timers
    if (!socket_.is_open()) co_return;
    if (tls_ && !tls_broken_) {
        io_timer_.expires_after(tls_shutdown_timeout);
        co_await (tls_->async_shutdown(use_tuple) || io_timer_.async_wait(use_tuple));
    }
    co_await linger();  // also after a failed handshake: raw reads only, never a write
    socket_.close(ec);
}

// --- session flow ----------------------------------------------------------------------------

asio::awaitable<void> Session::refuse_over_limit() {
    note(note::ServerEnded{ServerEnd::connection_limit});
    record_.close_reason = CloseReason::connection_limit;
    // SR-23: 421 before the greeting. On an implicit-TLS port plaintext would be garbage: just close.
    if (config_.tls.mode != TlsMode::implicit && config_.behaviour == ListenerBehaviour::smtp) {
        std::string reply = "421 4.7.0 Too many connections, try again later\r\n";
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
    while (!done_ && !engine_->closed()) {
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
            done_ = true;
            continue;
        case ReadResult::eof:
        case ReadResult::error:
            note(note::PeerClosed{});
            record_.close_reason = CloseReason::eof;
            engine_->eof();
            publish_engine_events();
            done_ = true;
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
            if (done_ || batch_abandoned_) break;
            co_await execute(action);
        }
        batch_abandoned_ = false;
        if (done_) break;
    }
    co_await flush();
    if (engine_->closed()) done_ = true;
}

asio::awaitable<void> Session::execute(core::Action& action) {
    if (auto* reply = std::get_if<core::SendReply>(&action)) {
        pending_out_ += reply->reply.render();
    } else if (auto* raw = std::get_if<core::SendRaw>(&action)) {
        co_await flush();  // scripted raw bytes keep their own write boundary
        pending_out_ = std::move(raw->bytes);
        co_await flush();
    } else if (auto* pause = std::get_if<core::Pause>(&action)) {
        co_await flush();
        io_timer_.expires_after(pause->duration);
        co_await io_timer_.async_wait(use_tuple);
        if (!greeting_sent_) check_pregreet();
    } else if (std::holds_alternative<core::StartTls>(action)) {
        co_await start_tls();
    } else if (auto* message = std::get_if<core::StoreMessage>(&action)) {
        co_await store_message(*message);
    } else if (std::holds_alternative<core::Close>(action)) {
        co_await flush();
        if (!record_.close_reason) record_.close_reason = CloseReason::closed;
        done_ = true;
    } else if (std::holds_alternative<core::Stall>(action)) {
        co_await stall();
    }
}

asio::awaitable<void> Session::start_tls() {
    co_await flush();  // the 220 goes out in plaintext, then nothing more before the handshake
    if (done_) co_return;
    // TLS-01: every byte read was fed to the engine, which discarded what was pipelined behind
    // STARTTLS; plaintext still in the kernel fails expect_client_hello() and closes.
    bool secured = co_await handshake();
    if (secured) {
        engine_->tls_established(describe_tls(tls_->native_handle()));
    } else {
        engine_->tls_failed();
        publish_engine_events();
        engine_->take_actions();  // TLS-04: whatever it would say cannot be sent; close
        done_ = true;
    }
}

asio::awaitable<void> Session::store_message(core::StoreMessage& message) {
    co_await flush();
    const core::SessionState& state = engine_->state();
    store::MessageMeta meta;
    meta.session_id = record_.id;
    meta.listener = record_.listener;
    meta.client_address = record_.client_address;
    meta.seen_address = record_.seen_address;
    // What is on the wire, from the transport: also right for implicit TLS, which the engine
    // only learns through ConnectionInfo::implicit_tls.
    meta.tls_version = record_.tls_version;
    meta.tls_cipher = record_.tls_cipher;
    meta.auth_identity = state.auth_identity.value_or("");
    meta.helo = state.helo.value_or("");
    meta.envelope = std::move(message.envelope);
    meta.size = message.content.size();
    meta.received_at = std::chrono::system_clock::now();
    meta.annotations_json = std::move(message.annotations_json);  // policy's stored-copy annotations
    // RFC 5321 6.1: the 250 is produced by message_stored(), after store() returned (durable).
    StoreOutcome outcome;
    if (services_.store->mode() == store::CaptureMode::disk) {
        outcome = co_await asio::co_spawn(
            *services_.store_pool,
            store_on_pool(*services_.store, record_.id, std::move(meta), std::move(message.content)),
            asio::use_awaitable);
    } else {
        // Memory and off capture never block: no trip to the pool and back.
        outcome = store_blocking(*services_.store, record_.id, std::move(meta), message.content);
    }
    if (outcome.failure) note(std::move(*outcome.failure));
    if (outcome.id) {
        record_.message_ids.push_back(*outcome.id);
        if (services_.registry) services_.registry->update(record_);
    }
    engine_->message_stored(outcome.id.has_value(), outcome.id.value_or(""));
}

asio::awaitable<void> Session::stall() {
    // Scripted stall: stop answering, keep reading (and recording) until the client leaves or
    // the command deadline passes; then close without a word.
    co_await flush();
    note(note::Stalled{});
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
    record_.close_reason = CloseReason::stall;
    done_ = true;
}

}  // namespace

asio::awaitable<void> run_session(tcp::socket socket, ConnectionEnds ends, std::shared_ptr<const ListenerRuntime> listener,
                                  std::optional<ConnectionLimits::Slot> slot, const SessionServices& services) {
    Session session(std::move(socket), ends, std::move(listener), services);
    if (!slot)
        co_await session.refuse_over_limit();
    else
        co_await session.run();
}

}  // namespace exosim::transport::detail
