// The session's read loop, deadlines (the watchdog), writes and closing.
#include "transport/session_impl.hpp"

#include <boost/asio/ssl/error.hpp>
#include <boost/asio/write.hpp>

namespace exosim::transport::detail {

// Plain reads wait for readability and then read into this per-thread buffer, so an idle plain
// connection holds no read buffer (the memory target: < 16 KiB per idle connection).
// Safe because each I/O thread runs its own io_context and a chunk is fed before the next await.
std::array<char, read_chunk_size>& thread_read_buffer() {
    thread_local std::array<char, read_chunk_size> buffer;
    return buffer;
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
    if (tls_state_ == TlsState::broken || stopped()) co_return;  // TLS-04: nothing in plaintext after a failed handshake
    emit(WireChunk{Direction::out, out, tls_.has_value()});
    reply_sent_ = true;
    if (stage_ == Stage::awaiting_greeting) stage_ = Stage::serving;
    bool written = co_await write_all(out);
    if (!written) {
        record_.close_reason = CloseReason::io_error;
        stop();
    }
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
    if (reset_on_close_) {
        // SO_LINGER with a zero timeout: close() sends RST instead of FIN (RFC 793 3.5, abort);
        // no close_notify and no half-close first, or the client would see an orderly end.
        socket_.set_option(asio::socket_base::linger(true, 0), ec);
        socket_.close(ec);
        co_return;
    }
    if (tls_state_ == TlsState::secured) {
        io_timer_.expires_after(tls_shutdown_timeout);
        co_await (tls_->async_shutdown(use_tuple) || io_timer_.async_wait(use_tuple));
    }
    co_await linger();  // also after a failed handshake: raw reads only, never a write
    socket_.close(ec);
}

}  // namespace exosim::transport::detail
