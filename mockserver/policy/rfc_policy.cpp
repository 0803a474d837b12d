#include "policy/rfc_policy.hpp"

#include "core/rfc_replies.hpp"

namespace exosim::policy {

using core::Decision;
using core::ProtocolError;
using core::Reply;
namespace rfc = core::rfc_replies;

RfcPolicy::RfcPolicy(RfcPolicyConfig config) : config_(std::move(config)) {
    config_.engine.tls_available = config_.tls_available;
}

core::EngineSettings RfcPolicy::settings(const core::SessionState&) const { return config_.engine; }

Decision RfcPolicy::on_connect(const core::SessionState&) {
    return Decision::ok_with(rfc::greeting(config_.hostname));
}

Decision RfcPolicy::on_ehlo(const core::SessionState&, std::string_view, bool) { return Decision::ok(); }

std::string RfcPolicy::ehlo_greeting(const core::SessionState& s) const {
    return rfc::hello_line(config_.hostname, s.helo.value_or(""));
}

bool RfcPolicy::auth_offered(const core::SessionState& s) const {
    return s.tls_active() || !config_.require_tls_for_auth;
}

core::Capabilities RfcPolicy::capabilities(const core::SessionState& s) const {
    core::Capabilities c;
    c.lines = {"SIZE " + std::to_string(config_.size_limit), "PIPELINING", "DSN", "ENHANCEDSTATUSCODES"};
    if (!s.tls_active() && config_.tls_available) c.lines.emplace_back("STARTTLS");
    if (auth_offered(s)) c.lines.emplace_back("AUTH PLAIN LOGIN XOAUTH2");
    c.lines.insert(c.lines.end(), {"8BITMIME", "CHUNKING", "SMTPUTF8"});
    return c;
}

Decision RfcPolicy::on_starttls(const core::SessionState&) { return Decision::ok(); }

Decision RfcPolicy::on_auth_start(const core::SessionState& s, std::string_view) {
    if (!auth_offered(s)) return Decision::reject(rfc::starttls_first());
    return Decision::ok();
}

Decision RfcPolicy::on_auth(const core::SessionState&, const core::Credentials& c) {
    for (const auto& a : config_.accounts) {
        if (!c.user.empty() && a.user == c.user && a.password == c.secret) {
            return Decision::ok_with(rfc::auth_successful());
        }
    }
    return Decision::reject(rfc::auth_credentials_invalid());
}

Decision RfcPolicy::on_mail(const core::SessionState&, const core::Path&, const core::MailParams&) { return Decision::ok(); }
Decision RfcPolicy::on_rcpt(const core::SessionState&, const core::Path&, const core::RcptParams&) { return Decision::ok(); }
Decision RfcPolicy::on_data(const core::SessionState&) { return Decision::ok(); }
Decision RfcPolicy::on_message(const core::SessionState&, std::string_view) { return Decision::ok(); }

Reply RfcPolicy::message_accepted(const core::SessionState&, std::string_view, std::string_view id) {
    return rfc::queued_as(id);
}

Decision RfcPolicy::on_quit(const core::SessionState&) {
    return Decision::ok_with(rfc::service_closing(config_.hostname));
}

Decision RfcPolicy::on_rset(const core::SessionState&) { return Decision::ok(); }
Decision RfcPolicy::on_vrfy(const core::SessionState&, std::string_view) { return Decision::ok(); }

Reply RfcPolicy::help(const core::SessionState&) const {
    return rfc::help();
}

Reply RfcPolicy::noop(const core::SessionState&) const { return rfc::ok(); }

Reply RfcPolicy::protocol_error(const core::SessionState&, ProtocolError e) const { return rfc::protocol_error(e); }

Decision RfcPolicy::on_tls_established(const core::SessionState&) { return Decision::ok(); }

}  // namespace exosim::policy
