#pragma once
// exo-submission (smtp.office365.com) and exo-legacy (smtp-legacy.office365.com): SMTP AUTH client
// submission as Exchange Online answers it (reference §2-§6, §9-§11). One instance per session;
// its concurrent-session slot is released when it is destroyed.
#include <memory>
#include <optional>
#include <string>

#include "policy/exchange_online/exo_policy_base.hpp"

namespace exosim::policy::exo {

enum class SubmissionEndpoint {
    standard,  // smtp.office365.com: TLS 1.0/1.1 sessions get 421 4.7.66
    legacy,    // smtp-legacy.office365.com: TLS 1.0/1.1 allowed when the tenant opted in (checked at AUTH)
};

class ClientSubmissionPolicy final : public ExoPolicyBase {
public:
    ClientSubmissionPolicy(std::shared_ptr<const ExoEnvironment> env,
                           SubmissionEndpoint endpoint = SubmissionEndpoint::standard);

    core::Capabilities capabilities(const core::SessionState& state) const override;
    core::Decision on_tls_established(const core::SessionState& state) override;
    core::Decision on_auth_start(const core::SessionState& state, std::string_view mechanism) override;
    core::Decision on_auth(const core::SessionState& state, const core::Credentials& credentials) override;
    core::Decision on_mail(const core::SessionState& state, const core::Path& from,
                           const core::MailParams& params) override;
    core::Decision on_rcpt(const core::SessionState& state, const core::Path& to,
                           const core::RcptParams& params) override;
    core::Decision on_message(const core::SessionState& state, std::string_view content) override;
    core::Reply message_accepted(const core::SessionState& state, std::string_view content,
                                 std::string_view id) override;

    // The authenticated mailbox (nullptr before a successful AUTH).
    const MailboxAccount* mailbox() const { return mailbox_; }

private:
    core::Decision authenticate_basic(const core::SessionState& state, const core::Credentials& c);
    core::Decision authenticate_oauth(const core::SessionState& state, const core::Credentials& c);
    core::Decision auth_failed(core::Reply reply);
    core::Decision token_rejected(core::Reply reply, std::string reason);
    core::Decision auth_succeeded(const Tenant& tenant, const MailboxAccount& mailbox);
    std::optional<core::Reply> smtp_auth_block(const Tenant& tenant, const MailboxAccount& mailbox,
                                               const std::string& bracket) const;
    std::optional<core::Reply> legacy_tls_block(const core::SessionState& state, const Tenant* tenant) const;
    std::optional<core::Reply> send_as_block(const core::SessionState& state, std::string_view content) const;
    bool may_send_as(std::string_view address) const;
    std::size_t recipient_limit() const;

    SubmissionEndpoint endpoint_;
    bool legacy_tls_refused_ = false;  // standard endpoint, TLS 1.0/1.1 negotiated
    const Tenant* tenant_ = nullptr;
    const MailboxAccount* mailbox_ = nullptr;
    SessionSlot slot_;
    std::optional<std::string> last_auth_failure_;  // "535 5.7.139 ..." without its bracket
    std::string message_id_;
};

}  // namespace exosim::policy::exo
