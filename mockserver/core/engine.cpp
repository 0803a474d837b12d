// Engine lifecycle, command framing and reply emission. See engine_impl.hpp for the split.
#include "core/engine.hpp"

#include <utility>

#include "core/ascii.hpp"
#include "core/command_parser.hpp"
#include "core/engine_impl.hpp"
#include "core/limits.hpp"
#include "core/rfc_replies.hpp"

namespace exosim::core {

namespace {

// Bytes handled per step of feed(): bounds the buffer even when one call hands over megabytes.
constexpr std::size_t feed_slice = 16 * 1024;

bool is_http_command(std::string_view line) {
    for (std::string_view verb : {"GET ", "POST ", "HEAD ", "PUT ", "CONNECT ", "OPTIONS "}) {
        if (line.substr(0, verb.size()) == verb) return true;
    }
    return false;
}

// RFC 4954 4: the initial response and every continuation line carry credentials.
std::string redact(const Command& c) {
    if (c.verb != Verb::auth) return c.raw;
    const std::size_t sp = c.argument.find(' ');
    if (sp == std::string::npos) return c.raw;
    return "AUTH " + c.argument.substr(0, sp) + " <redacted>";
}

}  // namespace

Engine::Impl::Impl(SessionPolicy& p, ConnectionInfo c) : policy_(p) { state_.connection = std::move(c); }

void Engine::Impl::start() {
    if (started_) return;
    started_ = true;
    settings_ = policy_.settings(state_);
    lines_.set_mode(settings_.bare_line_endings);
    if (pregreet_) {
        finding("pregreet", std::to_string(in_.size()) + " octets before the greeting");
        if (settings_.reject_pregreet) {
            error(ProtocolError::pregreet);
            close();
            return;
        }
    }
    const Decision d = policy_.on_connect(state_);
    enter(Phase::ready);
    connect_rejected_ = d.kind == Decision::Kind::reject;
    answer(d, rfc_replies::service_ready());
    process();
}

void Engine::Impl::feed(std::string_view bytes) {
    if (phase_ == Phase::closed) return;
    if (phase_ == Phase::tls_pending) {
        // RFC 3207 5 / CVE-2011-0411: plaintext after STARTTLS is never executed.
        if (!bytes.empty()) finding("starttls-plaintext-injection", std::to_string(bytes.size()) + " octets");
        return;
    }
    while (!bytes.empty() && phase_ != Phase::closed) {
        const std::string_view slice = bytes.substr(0, feed_slice);
        bytes.remove_prefix(slice.size());
        in_.append(slice);
        if (!started_) {
            pregreet_ = true;
            if (in_.size() > limits::max_pipelined_input) in_.resize(limits::max_pipelined_input);
            continue;
        }
        process();
        if (pending().size() > limits::max_pipelined_input) {
            error(ProtocolError::input_overflow);
            close();
        }
    }
}

// Runs buffered input until more bytes are needed, or the engine waits for TLS or storage.
void Engine::Impl::process() {
    while (phase_ != Phase::closed && phase_ != Phase::tls_pending && phase_ != Phase::store_pending) {
        bool progressed = false;
        if (phase_ == Phase::data) progressed = read_data();
        else if (chunk_active_) progressed = read_chunk();
        else progressed = read_line();
        if (!progressed) break;
    }
    if (pos_ > 0) {
        in_.erase(0, pos_);
        pos_ = 0;
    }
}

bool Engine::Impl::read_line() {
    const std::string_view buf = pending();
    // SR-36: a TLS ClientHello (handshake record, version 3.x) where SMTP is expected.
    if (!any_line_ && !state_.tls_active() && buf.size() >= 2 && buf[0] == '\x16' && buf[1] == '\x03') {
        finding("tls-on-plaintext", "TLS handshake record on the plaintext port");
        close();
        return false;
    }
    const bool sasl_limit = phase_ == Phase::auth || ascii::istarts_with(buf, "AUTH ");
    LineReader::Result r = lines_.next(buf, sasl_limit ? limits::max_sasl_line : limits::max_command_line);
    pos_ += r.consumed;
    if (r.kind == LineReader::Kind::need_more) return false;
    on_line(std::move(r));
    return true;
}

void Engine::Impl::on_line(LineReader::Result&& r) {
    any_line_ = true;
    if (r.kind == LineReader::Kind::skipped) {
        skipped_ += r.consumed;
        if (skipped_ > limits::max_pipelined_input) {  // SR-14: an endless line closes the session
            error(ProtocolError::input_overflow);
            close();
        }
        return;
    }
    skipped_ = 0;
    if (r.kind == LineReader::Kind::too_long) {
        if (phase_ == Phase::auth) sasl_abort(std::nullopt);
        error(ProtocolError::line_too_long);
        return;
    }
    if (r.ending != LineEnding::crlf) {
        finding(r.ending == LineEnding::bare_lf ? "bare-lf" : "bare-cr", "in a command line");
        if (settings_.bare_line_endings == BareLineEnding::reject) {
            if (phase_ == Phase::auth) sasl_abort(std::nullopt);
            error(ProtocolError::bare_line_ending);
            return;
        }
    }
    if (phase_ == Phase::auth) sasl_line(r.text);
    else command_line(r.text);
}

void Engine::Impl::command_line(const std::string& text) {
    if (is_http_command(text)) {  // SR-19: cross-protocol request, drop at once
        finding("http-command", text.substr(0, 64));
        error(ProtocolError::http_command);
        close();
        return;
    }
    const CommandParse parse = parse_command(text);
    events_.push_back(CommandReceived{parse.command.verb, redact(parse.command)});
    if (unauthorized_pipelining()) return;
    if (tls_rejection_) {
        const Decision d = *std::exchange(tls_rejection_, std::nullopt);
        answer(d, policy_.protocol_error(state_, ProtocolError::bad_sequence));
        return;
    }
    dispatch(parse);
}

// SR-10, RFC 2920 3.1: without PIPELINING the client waits for each reply, so another complete
// line already behind this one is a synchronization error (QUIT is exempt: nothing follows it).
bool Engine::Impl::unauthorized_pipelining() {
    if (!settings_.reject_unauthorized_pipelining || pending().find('\n') == std::string_view::npos) return false;
    if (caps().has("PIPELINING")) return false;
    finding("pipelining-unadvertised", std::to_string(pending().size()) + " octets ahead of the reply");
    error(ProtocolError::unauthorized_pipelining);
    close();
    return true;
}

void Engine::Impl::enter(Phase p) {
    if (p == phase_) return;
    events_.push_back(PhaseChanged{phase_, p});
    phase_ = p;
}

// Sending never closes: whoever sends a closing reply (RFC 5321 3.8: 421) also calls close(), from a
// Decision::close or a ProtocolError that ends the session.
void Engine::Impl::send(Reply r) {
    events_.push_back(ReplyProduced{r});
    actions_.push_back(SendReply{std::move(r)});
}

void Engine::Impl::answer(const Decision& d, Reply default_reply) {
    if (d.delay.count() > 0) actions_.push_back(Pause{d.delay});
    if (d.reply) send(*d.reply);
    else if (default_reply.code != 0) send(std::move(default_reply));
    else if (!d.close) send(policy_.protocol_error(state_, ProtocolError::bad_sequence));
    if (d.close) close();
}

// Engine-detected errors count toward settings.max_errors; at the limit the 421 replaces the reply.
void Engine::Impl::error(ProtocolError e) {
    const bool counted = e != ProtocolError::too_many_recipients && e != ProtocolError::message_too_big &&
                         e != ProtocolError::local_error;
    if (counted && ++errors_ >= settings_.max_errors && settings_.max_errors > 0) {
        send(policy_.protocol_error(state_, ProtocolError::too_many_errors));
        close();
        return;
    }
    send(policy_.protocol_error(state_, e));
}

void Engine::Impl::finding(std::string rule, std::string detail) {
    events_.push_back(Finding{std::move(rule), std::move(detail)});
}

void Engine::Impl::close() {
    if (phase_ == Phase::closed) return;
    actions_.push_back(Close{});
    enter(Phase::closed);
    data_.reset();
    sasl_.reset();
}

void Engine::Impl::reset_transaction() {
    state_.envelope = Envelope{};
    data_.reset();
    bdat_content_.clear();
    bdat_overflow_ = false;
    bdat_size_ = 0;
}

// ---- public surface

Engine::Engine(SessionPolicy& policy, ConnectionInfo connection)
    : impl_(std::make_unique<Impl>(policy, std::move(connection))) {}
Engine::~Engine() = default;

void Engine::start() { impl_->start(); }
void Engine::feed(std::string_view bytes) { impl_->feed(bytes); }

void Engine::feed_pregreet(std::string_view bytes) {
    if (impl_->phase_ == Phase::closed || bytes.empty()) return;
    impl_->finding("pregreet", std::to_string(bytes.size()) + " octets before the greeting was sent");
    if (impl_->settings_.reject_pregreet) {
        impl_->error(ProtocolError::pregreet);
        impl_->close();
        return;
    }
    impl_->feed(bytes);
}

void Engine::eof() {
    impl_->reset_transaction();
    impl_->enter(Phase::closed);
}

void Engine::timeout() {
    if (impl_->phase_ == Phase::closed) return;
    impl_->send(impl_->policy_.protocol_error(impl_->state_, ProtocolError::timeout));
    impl_->close();
}

void Engine::shutdown() {
    const Phase p = impl_->phase_;
    if (p == Phase::closed) return;
    if (p == Phase::data || p == Phase::tls_pending || p == Phase::store_pending || impl_->chunk_active_) {
        impl_->shutting_down_ = true;  // answered once the current step completes
        return;
    }
    impl_->send(impl_->policy_.protocol_error(impl_->state_, ProtocolError::shutting_down));
    impl_->close();
}

void Engine::tls_established(const TlsInfo& info) {
    // RFC 8314 3.3 (implicit TLS): the session is encrypted before the greeting, so the transport
    // reports the handshake before start(); the session counts as TLS from its first command.
    if (!impl_->started_ && impl_->state_.connection.implicit_tls) {
        impl_->state_.tls = info;
        const Decision d = impl_->policy_.on_tls_established(impl_->state_);
        if (d.kind != Decision::Kind::proceed) impl_->tls_rejection_ = d;
        return;
    }
    if (impl_->phase_ != Phase::tls_pending) return;
    impl_->state_.tls = info;
    impl_->enter(Phase::ready);
    const Decision d = impl_->policy_.on_tls_established(impl_->state_);
    if (d.kind != Decision::Kind::proceed) impl_->tls_rejection_ = d;
    impl_->process();
}

void Engine::tls_failed() {
    if (impl_->phase_ != Phase::tls_pending) return;
    impl_->close();  // SR-02: never fall back to plaintext on the same connection
}

void Engine::message_stored(bool ok, std::string_view id) { impl_->stored(ok, id); }

std::vector<Action> Engine::take_actions() { return std::exchange(impl_->actions_, {}); }
std::vector<Event> Engine::take_events() { return std::exchange(impl_->events_, {}); }
Phase Engine::phase() const { return impl_->phase_; }
const SessionState& Engine::state() const { return impl_->state_; }
bool Engine::closed() const { return impl_->phase_ == Phase::closed; }
bool Engine::in_message_data() const { return impl_->phase_ == Phase::data || impl_->chunk_active_; }
bool Engine::waiting() const {
    return impl_->phase_ == Phase::tls_pending || impl_->phase_ == Phase::store_pending;
}

}  // namespace exosim::core
