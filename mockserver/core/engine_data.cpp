// Message content: DATA (RFC 5321 4.1.1.4), BDAT (RFC 3030), end of message and storage.
#include "core/command.hpp"
#include "core/engine_impl.hpp"
#include "core/limits.hpp"
#include "core/rfc_replies.hpp"

namespace exosim::core {

using Impl = Engine::Impl;

namespace {
// Without an advertised SIZE the content is still capped (RFC 5321 4.5.3.1.7 allows any limit).
constexpr std::uint64_t default_message_cap = 157286400;
}  // namespace

std::uint64_t Impl::message_cap() const { return caps().size_limit().value_or(default_message_cap); }

bool Impl::read_data() {
    const std::size_t used = data_->feed(pending());
    pos_ += used;
    if (used > 0 && interrupted_mid_data()) return true;
    if (!data_->done()) return false;
    finish_data();
    return true;
}

// The policy may act while the content streams in, before the final dot is answered (scripted
// mid-DATA faults). Anything but "carry on" ends the session: what is still in flight cannot be
// answered in step, so the engine answers (or not) and closes.
bool Impl::interrupted_mid_data() {
    const Decision d = policy_.on_message_data(state_, data_->size());
    if (d.kind == Decision::Kind::proceed && !d.close) return false;
    data_.reset();
    reset_transaction();
    if (d.tls_alert) actions_.push_back(SendTlsAlert{*d.tls_alert});
    else answer(d, Reply{});
    close();
    return true;
}

void Impl::finish_data() {
    DataReader& r = *data_;
    if (r.long_line()) finding("long-text-line", "a line over 1000 octets (RFC 5321 4.5.3.1.6)");
    if (r.bare_lf()) finding("bare-lf", "in message content");
    if (r.bare_cr()) finding("bare-cr", "in message content");
    // SR-10 (smtpsmug "pipelining"): a second message already queued behind the dot.
    if (unauthorized_pipelining()) return;
    const bool bare = r.bare_cr() || r.bare_lf();
    const bool too_big = r.overflow();
    std::string content = r.take_content();
    const std::uint64_t size = r.size();
    data_.reset();
    enter(Phase::ready);
    if (bare && settings_.bare_line_endings == BareLineEnding::reject) {
        reset_transaction();
        return error(ProtocolError::bare_line_ending_in_data);  // SR-07: never two messages
    }
    if (too_big || size > message_cap()) {
        reset_transaction();
        return error(ProtocolError::message_too_big);  // RFC 1870 6.3: 552 5.3.4
    }
    end_message(std::move(content));
}

// RFC 3030 2: the reply to BDAT comes after its chunk, so a refused BDAT still has its octets read
// (and dropped). Only a size that cannot be read (SR-28 overflow, "-1") leaves them to be commands.
void Impl::bdat_command(const Command& c) {
    if (!caps().has("CHUNKING")) return error(ProtocolError::bdat_not_offered);
    chunk_active_ = true;
    chunk_remaining_ = c.bdat_size;
    chunk_last_ = c.bdat_last;
    chunk_error_.reset();
    chunk_rejection_.reset();
    if (phase_ == Phase::ready) chunk_error_ = ProtocolError::bad_sequence;       // no MAIL
    else if (phase_ == Phase::mail) chunk_error_ = ProtocolError::no_valid_recipients;
    else if (phase_ == Phase::rcpt) {
        Decision d = policy_.on_data(state_);
        if (d.kind != Decision::Kind::proceed) chunk_rejection_ = std::move(d);
        else enter(Phase::bdat);
    }
    state_.envelope.via_bdat = true;
}

bool Impl::read_chunk() {
    const std::string_view buf = pending();
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(chunk_remaining_, buf.size()));
    const bool keep = !chunk_error_ && !chunk_rejection_ && !bdat_overflow_;
    if (keep && bdat_size_ + n > message_cap()) {
        bdat_overflow_ = true;
        bdat_content_.clear();
        bdat_content_.shrink_to_fit();
    }
    if (keep && !bdat_overflow_) bdat_content_.append(buf.substr(0, n));
    bdat_size_ += keep ? n : 0;
    chunk_remaining_ -= n;
    pos_ += n;
    if (chunk_remaining_ > 0) return false;
    chunk_active_ = false;
    finish_chunk();
    return true;
}

void Impl::finish_chunk() {
    if (chunk_error_) return error(*chunk_error_);
    if (chunk_rejection_) {
        const Decision d = *std::exchange(chunk_rejection_, std::nullopt);
        return answer(d, Reply{});
    }
    if (!chunk_last_) {
        return send(rfc_replies::chunk_received(bdat_size_));
    }
    enter(Phase::ready);
    if (bdat_overflow_) {
        reset_transaction();
        return error(ProtocolError::message_too_big);
    }
    std::string content = std::move(bdat_content_);
    bdat_content_.clear();
    end_message(std::move(content));
}

void Impl::end_message(std::string content) {
    events_.push_back(MessageReceived{content.size(), state_.envelope.recipients.size()});
    const Decision d = policy_.on_message(state_, content);
    if (d.kind != Decision::Kind::proceed) {
        answer(d, Reply{});
        return reset_transaction();
    }
    if (d.delay.count() > 0) actions_.push_back(Pause{d.delay});
    if (std::optional<std::string> copy = policy_.stored_content(state_, content)) content = std::move(*copy);
    stored_content_ = content;
    actions_.push_back(StoreMessage{state_.envelope, std::move(content), policy_.annotations_json(state_)});
    enter(Phase::store_pending);
}

void Impl::stored(bool ok, std::string_view id) {
    if (phase_ != Phase::store_pending) return;
    enter(Phase::ready);
    if (ok) {
        send(policy_.message_accepted(state_, stored_content_, id));
        ++state_.messages_accepted;
    } else {
        error(ProtocolError::local_error);  // RFC 5321 4.2.2: 451 4.3.0
    }
    stored_content_.clear();
    reset_transaction();
    if (shutting_down_ && phase_ != Phase::closed) {
        send(policy_.protocol_error(state_, ProtocolError::shutting_down));
        close();
    }
    process();
}

}  // namespace exosim::core
