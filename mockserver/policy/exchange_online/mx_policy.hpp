#pragma once
// exo-mx: the tenant MX (<tenant>-<tld>.mail.protection.outlook.com), reference §1-§3, §5, §7.
// One policy covers direct send and relay through inbound connectors: per RCPT it decides whether
// the client is recognised by a connector (seen source IP in a connector range, or a verified
// TLS 1.2+ client certificate naming the connector's certificate domain, an accepted domain).
// TLS is optional; AUTH is never advertised. Accepted messages get SPF trace headers.
#include <memory>
#include <string>

#include "policy/exchange_online/exo_policy_base.hpp"

namespace exosim::policy::exo {

struct ConnectorMatch {
    const Tenant* tenant = nullptr;
    const InboundConnector* connector = nullptr;
    enum class By { none, source_ip, certificate } by = By::none;
};

// The first connector (in directory order) that recognises this session.
ConnectorMatch match_connector(const Directory& directory, const core::SessionState& state,
                               const std::string& seen_address);
// Certificate name `name` covers `domain`: equal, "*.domain", or a host under domain.
bool certificate_names_domain(std::string_view name, std::string_view domain);

class MxPolicy final : public ExoPolicyBase {
public:
    explicit MxPolicy(std::shared_ptr<const ExoEnvironment> env);

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

    // Authentication-Results / Received-SPF for the session's IP and MAIL FROM (or HELO) domain,
    // followed by `content`.
    std::string stamp_headers(const core::SessionState& state, std::string_view content) const;

private:
    core::Reply external_relay_refusal(const Tenant* tenant, const std::string& bracket) const;

    std::string message_id_;
};

// Names used in DESIGN.md's tree: both are this one policy.
using DirectSendPolicy = MxPolicy;
using RelayConnectorPolicy = MxPolicy;

}  // namespace exosim::policy::exo
