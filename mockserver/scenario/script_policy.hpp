#pragma once
// The scripted server behaviour as a SessionPolicy decorator: replies, greeting and capabilities the
// scenario dictates, everything else from the inner (profile) policy. What a Decision cannot carry
// (raw bytes, injection, splits, delays, close, stall, silence) is queued in the ScriptSession for
// ReplyScript, which rewrites the engine's actions. One ScriptPolicy per connection.
//
// A rule's `reply` becomes the decision: a closing reply (ReplyPart::closes, the decoder's reading
// of a 421) closes, 2xx/3xx proceed, other 4xx/5xx reject
// (STARTTLS proceeds only on 220). The inner policy is not asked at a step whose reply is scripted.
// `tls.starts: false`: STARTTLS is answered (220 by default) as a rejection, so the engine never
// begins TLS and the session carries on in plaintext — what a stripping middlebox does.
#include <memory>
#include <optional>

#include "core/session_policy.hpp"
#include "scenario/cursor.hpp"
#include "scenario/model.hpp"
#include "scenario/script_session.hpp"

namespace exosim::scenario {

class ScriptPolicy : public core::SessionPolicy {
public:
    // Registers the connection with the cursor (its attempt number) on construction.
    ScriptPolicy(std::unique_ptr<core::SessionPolicy> inner, std::shared_ptr<const Scenario> scenario,
                 std::shared_ptr<Cursor> cursor);

    // Shared with this connection's ReplyScript.
    const std::shared_ptr<ScriptSession>& session() const { return session_; }
    unsigned attempt() const { return session_->attempt; }

    core::EngineSettings settings(const core::SessionState& s) const override { return inner_->settings(s); }
    core::Decision on_connect(const core::SessionState& s) override;
    core::Decision on_ehlo(const core::SessionState& s, std::string_view domain, bool esmtp) override;
    std::string ehlo_greeting(const core::SessionState& s) const override { return inner_->ehlo_greeting(s); }
    core::Capabilities capabilities(const core::SessionState& s) const override;
    core::Decision on_starttls(const core::SessionState& s) override;
    core::Decision on_auth_start(const core::SessionState& s, std::string_view mechanism) override;
    core::Decision on_auth(const core::SessionState& s, const core::Credentials& c) override;
    core::Decision on_mail(const core::SessionState& s, const core::Path& p, const core::MailParams& m) override;
    core::Decision on_rcpt(const core::SessionState& s, const core::Path& p, const core::RcptParams& r) override;
    core::Decision on_data(const core::SessionState& s) override;
    core::Decision on_message(const core::SessionState& s, std::string_view content) override;
    core::Decision on_message_data(const core::SessionState& s, std::uint64_t received) override;
    core::Reply message_accepted(const core::SessionState& s, std::string_view content, std::string_view id) override;
    core::Decision on_quit(const core::SessionState& s) override;
    core::Decision on_rset(const core::SessionState& s) override;
    core::Decision on_vrfy(const core::SessionState& s, std::string_view arg) override { return inner_->on_vrfy(s, arg); }
    core::Reply help(const core::SessionState& s) const override { return inner_->help(s); }
    core::Reply noop(const core::SessionState& s) const override;
    core::Reply protocol_error(const core::SessionState& s, core::ProtocolError e) const override;
    core::Decision on_tls_established(const core::SessionState& s) override { return inner_->on_tls_established(s); }
    // The profile's stored copy (Exchange stamps, delivery annotations) is kept under a script.
    std::optional<std::string> stored_content(const core::SessionState& s, std::string_view received) const override {
        return inner_->stored_content(s, received);
    }
    std::string annotations_json(const core::SessionState& s) const override { return inner_->annotations_json(s); }

private:
    struct Scripted {
        const Action* action = nullptr;  // the matched rule's action, if any
        std::optional<core::Reply> reply;  // its reply, if it gives one
        bool closes = false;               // that reply ends the session (ReplyPart::closes)
    };
    static core::Decision decided(const Scripted& scripted);  // for a scripted reply
    // Matches the rules for this occurrence of `step`. Matching consumes the occurrence (nth,
    // times), so it happens exactly once per step.
    Scripted script(Step step, const core::SessionState& s, std::string_view recipient = {}) const;
    // Records the reply the engine is about to produce for this step (for ReplyScript) and returns
    // `d`. `reply_now`: false where a proceeding decision's reply comes later (AUTH, end of data).
    core::Decision expect(Step step, const Scripted& scripted, core::Decision d, bool reply_now = true) const;

    std::unique_ptr<core::SessionPolicy> inner_;
    std::shared_ptr<const Scenario> scenario_;
    std::shared_ptr<Cursor> cursor_;
    std::shared_ptr<ScriptSession> session_;
    std::optional<core::Reply> auth_reply_;     // a scripted 2xx for AUTH, given when the exchange completes
    std::optional<core::Reply> message_reply_;  // a scripted 2xx for end of data, given once stored
    std::optional<core::TlsAlert> mid_data_alert_;  // a rule on data: the alert to end the content with
};

// `closes`: close after the reply; else 2xx/3xx proceed, other 4xx/5xx reject.
core::Decision decision_for(const core::Reply& reply, bool closes);

}  // namespace exosim::scenario
