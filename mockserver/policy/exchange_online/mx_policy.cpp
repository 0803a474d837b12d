#include "policy/exchange_online/mx_policy.hpp"

#include "policy/exchange_online/sha256.hpp"
#include "policy/exchange_online/message_headers.hpp"
#include "policy/exchange_online/spf.hpp"

namespace exosim::policy::exo {

namespace r = replies;
using core::Decision;

bool certificate_names_domain(std::string_view name, std::string_view domain) {
    const std::string n = lower(name);
    const std::string d = lower(domain);
    if (d.empty()) return false;
    if (n == d || n == "*." + d) return true;
    return n.size() > d.size() + 1 && n.compare(n.size() - d.size(), d.size(), d) == 0 &&
           n[n.size() - d.size() - 1] == '.';
}

ConnectorMatch match_connector(const Directory& directory, const core::SessionState& state,
                               const std::string& seen_address) {
    const bool modern_tls =
        state.tls.version == core::TlsVersion::tls1_2 || state.tls.version == core::TlsVersion::tls1_3;
    for (const auto& t : directory.tenants) {
        for (const auto& c : t.connectors) {
            if (c.require_tls && !state.tls_active()) continue;
            for (const auto& range : c.source_ip_ranges) {
                if (range.contains(seen_address)) return {&t, &c, ConnectorMatch::By::source_ip};
            }
            if (c.certificate_domain.empty() || !modern_tls || !state.tls.client_cert_verified) continue;
            for (const auto& name : state.tls.client_cert_names) {
                if (certificate_names_domain(name, c.certificate_domain)) {
                    return {&t, &c, ConnectorMatch::By::certificate};
                }
            }
        }
    }
    return {};
}

MxPolicy::MxPolicy(std::shared_ptr<const ExoEnvironment> env)
    : ExoPolicyBase(env, env->settings.mx_frontend, env->settings.mx_frontend.name + "." + env->settings.mx_domain,
                    env->settings.mx_banner_session_id) {}

// §3 [WIRE] pre-TLS list; after TLS the same without STARTTLS (§13.1 INFER). Never AUTH.
core::Capabilities MxPolicy::capabilities(const core::SessionState& state) const {
    core::Capabilities c;
    c.lines = r::ehlo_keywords(env_->settings.max_message_size, !state.tls_active(), false);
    return c;
}

// Versions are the transport's business (EOP's handshake fails below TLS 1.2, §7 note).
Decision MxPolicy::on_tls_established(const core::SessionState&) { return Decision::ok(); }

Decision MxPolicy::on_auth_start(const core::SessionState& state, std::string_view) {
    return Decision::reject(r::unrecognized_auth_type(bracket(state)));
}

Decision MxPolicy::on_auth(const core::SessionState& state, const core::Credentials&) {
    return Decision::reject(r::unrecognized_auth_type(bracket(state)));
}

Decision MxPolicy::on_mail(const core::SessionState& state, const core::Path&, const core::MailParams& params) {
    if (params.size && *params.size > env_->settings.max_message_size) {
        return Decision::reject(r::message_too_big(bracket(state)));
    }
    return Decision::ok_with(r::sender_ok());
}

core::Reply MxPolicy::external_relay_refusal(const Tenant* tenant, const std::string& b) const {
    const auto style = tenant == nullptr ? ExternalRelayReply::tenant_attribution : tenant->settings.external_relay_reply;
    switch (style) {
        case ExternalRelayReply::relay_access_denied: return r::relay_access_denied(b);
        case ExternalRelayReply::unable_to_relay: return r::unable_to_relay(b);
        case ExternalRelayReply::tenant_attribution: break;
    }
    return r::relay_tenant_attribution(b);
}

// §7: banned IP first, then per-domain recipient count, then by recipient domain: accepted domain
// (DBEB, RejectDirectSend) or external (relay only for a connector-recognised client whose sender
// is in one of that tenant's accepted domains).
Decision MxPolicy::on_rcpt(const core::SessionState& state, const core::Path& to, const core::RcptParams&) {
    const std::string b = bracket(state);
    const std::string seen = seen_address(state);
    const Directory& dir = *env_->directory;
    if (dir.is_blocked(seen)) return Decision::reject(r::banned_sending_ip(seen, b));
    const std::string rcpt_domain = lower(to.mailbox.domain);
    std::size_t same_domain = 0;
    for (const auto& rc : state.envelope.recipients) {
        if (lower(rc.path.mailbox.domain) == rcpt_domain) ++same_domain;
    }
    if (same_domain >= env_->settings.mx_max_recipients_per_domain) return Decision::reject(r::too_many_recipients(b));

    const auto& rp = state.envelope.reverse_path;
    const std::string sender_domain = rp.null ? std::string{} : lower(rp.mailbox.domain);
    const ConnectorMatch match = match_connector(dir, state, seen);
    if (const Tenant* t = dir.tenant_for_domain(rcpt_domain)) {
        if (t->find_mailbox(to.mailbox.str()) == nullptr) return Decision::reject(r::recipient_rejected(b));
        const bool attributed = match.tenant == t;
        if (t->settings.reject_direct_send && !attributed && t->accepts_domain(sender_domain)) {
            return Decision::reject(r::direct_send_rejected(b));
        }
        return Decision::ok_with(r::recipient_ok());
    }
    if (match.tenant == nullptr) {
        const Tenant* owner = dir.tenant_for_domain(sender_domain);
        if (owner == nullptr && !dir.tenants.empty()) owner = &dir.tenants.front();
        return Decision::reject(external_relay_refusal(owner, b));
    }
    if (!match.tenant->accepts_domain(sender_domain)) return Decision::reject(external_relay_refusal(match.tenant, b));
    return Decision::ok_with(r::recipient_ok());
}

std::string MxPolicy::stamp_headers(const core::SessionState& state, std::string_view content) const {
    const std::string seen = seen_address(state);
    const auto& rp = state.envelope.reverse_path;
    const std::string helo = state.helo.value_or("");
    // RFC 7208 2.4: a null reverse-path is checked as postmaster@<HELO domain>.
    const std::string domain = rp.null ? helo : rp.mailbox.domain;
    const SpfResult spf = evaluate_spf(*env_->directory, seen, domain);
    const auto from = from_address(content);
    const std::string from_domain = from ? std::string(domain_of(*from)) : std::string{};
    return prepend_headers(content, spf_trace_headers(spf, seen, domain, helo, from_domain));
}

Decision MxPolicy::on_message(const core::SessionState& state, std::string_view content) {
    if (content.size() > env_->settings.max_message_size) return Decision::reject(r::message_too_big(bracket(state)));
    const std::string seen = seen_address(state);
    const auto& rp = state.envelope.reverse_path;
    const std::string domain = rp.null ? state.helo.value_or("") : rp.mailbox.domain;
    const SpfResult spf = evaluate_spf(*env_->directory, seen, domain);
    const ConnectorMatch match = match_connector(*env_->directory, state, seen);
    message_id_ = message_id_for(state, content, env_->settings.mx_mailbox_server);
    // Exchange adds a Message-ID the client left out; the newest trace field goes on top.
    const std::string with_id = message_id(content)
                                    ? std::string(content)
                                    : prepend_headers(content, "Message-ID: " + message_id_ + "\r\n");
    stored_content_ = prepend_headers(stamp_headers(state, with_id), received_header(state));
    std::string connector = match.connector == nullptr ? "null" : json_string(match.connector->name);
    annotations_ = "{\"spf\":" + json_string(spf_result_name(spf)) + ",\"connector\":" + connector +
                   ",\"connector_match\":" +
                   json_string(match.by == ConnectorMatch::By::source_ip     ? "source_ip"
                               : match.by == ConnectorMatch::By::certificate ? "certificate"
                                                                             : "none") +
                   ",\"message_id\":" + json_string(message_id_) + "}";
    return Decision::ok();
}

// §5 MX [WIRE]: "250 2.6.0 <id> [InternalId=.., Hostname=..] N bytes in s, r KB/sec Queued mail for delivery".
core::Reply MxPolicy::message_accepted(const core::SessionState& state, std::string_view content, std::string_view id) {
    if (message_id_.empty()) message_id_ = message_id_for(state, content, env_->settings.mx_mailbox_server);
    const auto d = sha256(state.connection.session_id + "/" + std::string(id));
    std::uint64_t internal = 0;
    for (std::size_t i = 0; i < 6; ++i) internal = (internal << 8) | d[i];
    internal %= 100000000000000ULL;  // 14 digits, as on the wire
    auto reply = r::mx_queued(message_id_, internal, lower(env_->settings.mx_mailbox_server.fqdn()), content.size(),
                              env_->settings.mx_reported_transfer_seconds);
    message_id_.clear();
    return reply;
}

}  // namespace exosim::policy::exo
