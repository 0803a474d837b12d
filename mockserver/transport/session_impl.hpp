#pragma once
// Internal to transport/session*.cpp: the per-connection Session, split by concern into
// session.cpp (record, events, the SMTP flow and action dispatch), session_io.cpp (the read loop,
// deadlines, writes and closing), session_tls.cpp (handshakes and STARTTLS) and
// session_store.cpp (the hand-off to the message store).
#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/engine.hpp"
#include "transport/auth_redactor.hpp"
#include "transport/session.hpp"

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

// Plain reads wait for readability and then read into this per-thread buffer, so an idle plain
// connection holds no read buffer (the memory target: < 16 KiB per idle connection).
// Safe because each I/O thread runs its own io_context and a chunk is fed before the next await.
std::array<char, read_chunk_size>& thread_read_buffer();

enum class ReadResult { data, eof, timeout, shutdown, error };

// How a TLS handshake (or the wait for its ClientHello) ended.
struct HandshakeResult {
    enum class Outcome { established, timed_out, failed };
    Outcome outcome = Outcome::established;
    std::string reason;  // failed: why

    static HandshakeResult timed_out() { return {Outcome::timed_out, {}}; }
    static HandshakeResult failed(std::string why) { return {Outcome::failed, std::move(why)}; }
};

// Where a session is in its life; each stage follows the ones before it.
enum class Stage {
    awaiting_greeting,  // nothing written yet: a Pause here checks for pregreet input (SR-06)
    serving,            // a reply went out
    done,               // no more SMTP: the connection is being closed
    finished,           // the record is final (finish() ran)
};

// The TLS layer of the connection; tls_ holds the stream once a handshake began.
enum class TlsState {
    plain,
    secured,
    broken,  // a failed handshake: never write again, never fall back to plaintext (TLS-04)
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
    // Dispatches with std::visit: a new core::Action alternative does not compile until handled here.
    asio::awaitable<void> execute(core::Action& action);
    asio::awaitable<void> queue_reply(core::SendReply& reply);
    asio::awaitable<void> send_raw(core::SendRaw& raw);
    asio::awaitable<void> pause(core::Pause& pause);
    asio::awaitable<void> close_requested(core::Close& close);
    asio::awaitable<void> send_tls_alert(core::SendTlsAlert& alert);
    asio::awaitable<void> start_tls();
    asio::awaitable<void> store_message(core::StoreMessage& message);
    asio::awaitable<void> stall();
    // Reads (and records) until the client closes or the command deadline: a stall, a half-close.
    asio::awaitable<void> read_until_peer_leaves();
    bool stopped() const { return stage_ >= Stage::done; }
    void stop() {
        if (stage_ < Stage::done) stage_ = Stage::done;
    }

    tcp::socket socket_;
    std::optional<asio::ssl::stream<tcp::socket&>> tls_;  // after STARTTLS or for implicit TLS
    std::unique_ptr<std::array<char, tls_read_size>> tls_buffer_;
    TlsState tls_state_ = TlsState::plain;

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
    // The facts below are independent of the stage and of each other.
    bool reply_sent_ = false;  // a reply went out since the deadline was armed
    bool in_data_ = false;     // the armed deadline is the data-block one (SR-21)
    bool shutdown_told_ = false;  // the engine has been told of a server shutdown
    bool reset_on_close_ = false; // a scripted reset: close_connection() aborts (RST)
    bool batch_abandoned_ = false;  // the engine closed mid-batch (pregreet rejected): drop the rest
    Stage stage_ = Stage::awaiting_greeting;
};

}  // namespace exosim::transport::detail
