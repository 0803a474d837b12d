#pragma once
// The RFC baseline policy: accepts every syntactically valid session (RFC 5321 with the extensions
// the engine implements) and words replies with the RFC texts. Exchange Online profiles and
// scenario overrides replace or decorate it.
#include <cstdint>
#include <string>
#include <vector>

#include "core/session_policy.hpp"

namespace exosim::policy {

struct Account {
    std::string user;
    std::string password;
};

struct RfcPolicyConfig {
    std::string hostname = "localhost";
    std::vector<Account> accounts;
    bool tls_available = true;
    bool require_tls_for_auth = true;            // RFC 3207 / RFC 4954 14: no AUTH in plaintext
    std::uint64_t size_limit = 157286400;        // advertised as SIZE (RFC 1870)
    core::EngineSettings engine;                 // tls_available is copied over engine.tls_available
};

class RfcPolicy : public core::SessionPolicy {
public:
    explicit RfcPolicy(RfcPolicyConfig config);

    core::EngineSettings settings(const core::SessionState&) const override;
    core::Decision on_connect(const core::SessionState&) override;
    core::Decision on_ehlo(const core::SessionState&, std::string_view domain, bool esmtp) override;
    std::string ehlo_greeting(const core::SessionState&) const override;
    core::Capabilities capabilities(const core::SessionState&) const override;
    core::Decision on_starttls(const core::SessionState&) override;
    core::Decision on_auth_start(const core::SessionState&, std::string_view mechanism) override;
    // PLAIN and LOGIN: user and password must match an account. XOAUTH2 (RFC baseline only): the
    // bearer token must equal the account's password; there is no token service in this profile.
    core::Decision on_auth(const core::SessionState&, const core::Credentials&) override;
    core::Decision on_mail(const core::SessionState&, const core::Path&, const core::MailParams&) override;
    core::Decision on_rcpt(const core::SessionState&, const core::Path&, const core::RcptParams&) override;
    core::Decision on_data(const core::SessionState&) override;
    core::Decision on_message(const core::SessionState&, std::string_view content) override;
    core::Reply message_accepted(const core::SessionState&, std::string_view content, std::string_view id) override;
    core::Decision on_quit(const core::SessionState&) override;
    core::Decision on_rset(const core::SessionState&) override;
    core::Decision on_vrfy(const core::SessionState&, std::string_view arg) override;
    core::Reply help(const core::SessionState&) const override;
    core::Reply noop(const core::SessionState&) const override;
    core::Reply protocol_error(const core::SessionState&, core::ProtocolError) const override;
    core::Decision on_tls_established(const core::SessionState&) override;

    const RfcPolicyConfig& config() const { return config_; }

private:
    bool auth_offered(const core::SessionState& s) const;
    RfcPolicyConfig config_;
};

}  // namespace exosim::policy
