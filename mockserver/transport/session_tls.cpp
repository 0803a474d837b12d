// TLS on the session: the handshake (implicit TLS or after STARTTLS) and its deadline.
#include "transport/session_impl.hpp"
#include "core/ascii.hpp"

#include "transport/evidence.hpp"
#include "transport/sni.hpp"
#include "transport/tls_context.hpp"

namespace exosim::transport::detail {

namespace {

std::string hex_octet(char c) { return core::ascii::hex(std::string_view(&c, 1)); }


}  // namespace

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
    // serve --evidence (evidence.hpp): also after a failed handshake, whose ClientHello says why.
    if (!services_.evidence_dir.empty())
        if (auto hello = save_evidence(services_.evidence_dir, record_.id, tls_->native_handle()))
            note(note::ClientHello{std::move(*hello)});
    if (result.outcome != HandshakeResult::Outcome::established) {
        tls_state_ = TlsState::broken;
        if (result.outcome == HandshakeResult::Outcome::timed_out) {
            note(note::Timeout{Deadline::tls_handshake});
            record_.close_reason = CloseReason::tls_timeout;
        } else {
            note(note::TlsFailed{result.reason});
            record_.close_reason = CloseReason::tls_failed;
        }
        co_return false;
    }
    tls_state_ = TlsState::secured;
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

asio::awaitable<void> Session::start_tls() {
    co_await flush();  // the 220 goes out in plaintext, then nothing more before the handshake
    if (stopped()) co_return;
    // TLS-01: every byte read was fed to the engine, which discarded what was pipelined behind
    // STARTTLS; plaintext still in the kernel fails expect_client_hello() and closes.
    bool secured = co_await handshake();
    if (secured) {
        engine_->tls_established(describe_tls(tls_->native_handle()));
    } else {
        engine_->tls_failed();
        publish_engine_events();
        engine_->take_actions();  // TLS-04: whatever it would say cannot be sent; close
        stop();
    }
}

// A scripted fatal alert while the client streams DATA, sent by OpenSSL on the session's own keys.
// OpenSSL has no call to send an arbitrary alert: schedule_internal_error_alert() makes it fail a
// post-handshake NewSessionTicket (TLS 1.3 only), and driving the handshake machinery then writes
// internal_error (RFC 8446 6.2) and reports the failure. The session is over either way.
asio::awaitable<void> Session::send_tls_alert(core::SendTlsAlert& alert) {
    co_await flush();
    const std::string name(core::tls_alert_name(alert.alert));
    const bool scheduled = tls_state_ == TlsState::secured && schedule_internal_error_alert(tls_->native_handle());
    if (scheduled) {
        io_timer_.expires_after(tls_shutdown_timeout);
        co_await (tls_->async_handshake(asio::ssl::stream_base::server, use_tuple) || io_timer_.async_wait(use_tuple));
        tls_state_ = TlsState::broken;  // a fatal alert ends TLS: no close_notify, no plaintext
    }
    note(note::TlsAlertSent{name, scheduled});
    stop();
}

}  // namespace exosim::transport::detail
