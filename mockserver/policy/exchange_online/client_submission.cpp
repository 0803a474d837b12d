#include "policy/exchange_online/client_submission.hpp"

#include <algorithm>

#include "policy/exchange_online/message_headers.hpp"

namespace exosim::policy::exo {

namespace r = replies;
using core::Decision;

namespace {

bool old_tls(const core::SessionState& state) {
    return state.tls.version == core::TlsVersion::tls1_0 || state.tls.version == core::TlsVersion::tls1_1;
}

bool mechanism_is(std::string_view given, std::string_view name, bool case_sensitive) {
    return case_sensitive ? given == name : lower(given) == lower(name);
}

}  // namespace

ClientSubmissionPolicy::ClientSubmissionPolicy(std::shared_ptr<const ExoEnvironment> env, SubmissionEndpoint endpoint)
    : ExoPolicyBase(env, env->settings.frontend, env->settings.frontend.name + "." + env->settings.frontend_domain,
                    env->settings.banner_session_id),
      endpoint_(endpoint) {}

// §3 [WIRE]: STARTTLS before TLS, AUTH LOGIN XOAUTH2 after it, never both.
core::Capabilities ClientSubmissionPolicy::capabilities(const core::SessionState& state) const {
    core::Capabilities c;
    c.lines = r::ehlo_keywords(env_->settings.max_message_size, !state.tls_active(), state.tls_active());
    return c;
}

// §4 [WIRE]: the TLS 1.0/1.1 handshake completes; the refusal comes with the next AUTH or MAIL
// (or, with legacy_tls_refuse_at_ehlo, with whatever command comes first: a rejection returned
// here answers the next command, and a 421 closes the connection).
Decision ClientSubmissionPolicy::on_tls_established(const core::SessionState& state) {
    legacy_tls_refused_ = endpoint_ == SubmissionEndpoint::standard && old_tls(state);
    if (legacy_tls_refused_ && env_->settings.legacy_tls_refuse_at_ehlo) {
        return Decision::close_with(r::legacy_tls_refused(bracket(state)));
    }
    return Decision::ok();
}

// §4 [WIRE]: AUTH before TLS and PLAIN both get 504 5.7.4.
Decision ClientSubmissionPolicy::on_auth_start(const core::SessionState& state, std::string_view mechanism) {
    const std::string b = bracket(state);
    if (legacy_tls_refused_) return Decision::close_with(r::legacy_tls_refused(b));
    if (!state.tls_active()) return Decision::reject(r::unrecognized_auth_type(b));
    const bool cs = env_->settings.xoauth2_case_sensitive;
    if (!mechanism_is(mechanism, "LOGIN", false) && !mechanism_is(mechanism, "XOAUTH2", cs)) {
        return Decision::reject(r::unrecognized_auth_type(b));
    }
    return Decision::ok();
}

Decision ClientSubmissionPolicy::on_auth(const core::SessionState& state, const core::Credentials& c) {
    if (legacy_tls_refused_) return Decision::close_with(r::legacy_tls_refused(bracket(state)));
    if (lower(c.mechanism) == "xoauth2") return authenticate_oauth(state, c);
    if (lower(c.mechanism) == "login") return authenticate_basic(state, c);
    return Decision::reject(r::unrecognized_auth_type(bracket(state)));
}

// exo-legacy: the tenant is only known once the user is named, so the opt-in is checked at AUTH.
std::optional<core::Reply> ClientSubmissionPolicy::legacy_tls_block(const core::SessionState& state,
                                                                    const Tenant* tenant) const {
    if (endpoint_ != SubmissionEndpoint::legacy || !old_tls(state)) return std::nullopt;
    if (tenant != nullptr && tenant->settings.allow_legacy_tls) return std::nullopt;
    return r::legacy_tls_refused(bracket(state));
}

// §4 table + reference note: the mailbox value overrides the tenant value; $null inherits.
std::optional<core::Reply> ClientSubmissionPolicy::smtp_auth_block(const Tenant& tenant, const MailboxAccount& m,
                                                                   const std::string& b) const {
    switch (m.smtp_auth) {
        case SmtpAuthSetting::disabled: return r::auth_disabled_mailbox(b);
        case SmtpAuthSetting::enabled: return std::nullopt;
        case SmtpAuthSetting::inherit: break;
    }
    if (tenant.settings.smtp_auth_disabled) return r::auth_disabled_tenant(b);
    return std::nullopt;
}

// Order: retirement and lockout before the password (no password is checked), then the identity
// platform's verdicts (security defaults, conditional access, authentication policy), then
// Exchange's SMTP AUTH switch. Every 535 waits for the tarpit (§0).
Decision ClientSubmissionPolicy::authenticate_basic(const core::SessionState& state, const core::Credentials& c) {
    const std::string b = bracket(state);
    const Directory& dir = *env_->directory;
    const Tenant* tenant = dir.tenant_for_address(c.user);
    if (auto block = legacy_tls_block(state, tenant)) return Decision::close_with(*block);
    if (tenant != nullptr && tenant->settings.basic_auth_retired) return Decision::reject(r::basic_auth_retired(b));
    // The default-off reply as the documented final-removal text answers like retirement, before
    // the password (exchange-online-smtp.md §9).
    if (tenant != nullptr && tenant->settings.basic_auth_default_off &&
        tenant->settings.basic_auth_off_reply == BasicAuthOffReply::not_supported)
        return Decision::reject(r::basic_auth_retired(b));
    const MailboxAccount* m = tenant == nullptr ? nullptr : tenant->find_mailbox(c.user);
    if (m != nullptr && (m->locked || env_->submission->locked_out(m->address, now()))) {
        return auth_failed(r::account_locked(b));
    }
    if (m == nullptr || m->password.empty() || m->password != c.secret) {
        env_->submission->record_auth_failure(c.user, now());
        return auth_failed(r::credentials_incorrect(b));
    }
    if (tenant->settings.security_defaults) return auth_failed(r::security_defaults(b));
    if (m->conditional_access_blocked) return auth_failed(r::conditional_access(b));
    // Basic off by default answers as an authentication policy blocking Basic does today [WIRE].
    if (!tenant->settings.basic_auth_allowed || tenant->settings.basic_auth_default_off)
        return auth_failed(r::basic_auth_disabled(b));
    if (auto block = smtp_auth_block(*tenant, *m, b)) return auth_failed(*block);
    return auth_succeeded(*tenant, *m);
}

// §10: any token problem is the generic 535 5.7.3, its reason recorded as a finding (issue 14);
// SMTP AUTH disabled answers 5.7.139 before any token check (entra reference §1 [WIRE]).
Decision ClientSubmissionPolicy::authenticate_oauth(const core::SessionState& state, const core::Credentials& c) {
    const std::string b = bracket(state);
    const Tenant* tenant = env_->directory->tenant_for_address(c.user);
    if (auto block = legacy_tls_block(state, tenant)) return Decision::close_with(*block);
    const MailboxAccount* m = tenant == nullptr ? nullptr : tenant->find_mailbox(c.user);
    if (m == nullptr) return token_rejected(r::oauth_failed(b), "user= " + c.user + " is not a mailbox");
    if (auto block = smtp_auth_block(*tenant, *m, b)) return auth_failed(*block);
    if (env_->tokens == nullptr) return token_rejected(r::oauth_failed(b), "no token verifier configured");
    const TokenCheck check = env_->tokens->check(c.secret, c.user, *env_->clock);
    if (!check.ok()) return token_rejected(r::oauth_failed(b), check.reason);
    if (m->locked) return auth_failed(r::account_locked(b));
    return auth_succeeded(*tenant, *m);
}

Decision ClientSubmissionPolicy::token_rejected(core::Reply reply, std::string reason) {
    Decision d = auth_failed(std::move(reply));
    d.note = Decision::Note{"xoauth2-token-rejected", std::move(reason)};
    return d;
}

Decision ClientSubmissionPolicy::auth_failed(core::Reply reply) {
    last_auth_failure_ = r::embeddable(reply);
    return Decision::reject(std::move(reply), env_->settings.auth_tarpit);
}

Decision ClientSubmissionPolicy::auth_succeeded(const Tenant& tenant, const MailboxAccount& m) {
    env_->submission->record_auth_success(m.address);
    tenant_ = &tenant;
    mailbox_ = &m;
    slot_ = env_->submission->open_session(m.address);
    last_auth_failure_.reset();
    return Decision::ok_with(r::auth_success());
}

Decision ClientSubmissionPolicy::on_mail(const core::SessionState& state, const core::Path&,
                                         const core::MailParams& params) {
    const std::string b = bracket(state);
    if (legacy_tls_refused_) return Decision::close_with(r::legacy_tls_refused(b));
    if (!state.tls_active()) return Decision::reject(r::starttls_required(b));
    if (mailbox_ == nullptr) {
        std::optional<std::string> earlier = last_auth_failure_;
        if (!earlier && state.last_auth_failure) earlier = r::without_bracket(*state.last_auth_failure);
        return Decision::reject(r::not_authenticated(b, earlier));
    }
    if (params.size && *params.size > env_->settings.max_message_size) {
        return Decision::reject(r::message_too_big(b));
    }
    if (env_->settings.thread_limit_stage == ThreadLimitStage::mail && !slot_.within_limit()) {
        return Decision::reject(r::sender_thread_limit(b));
    }
    return Decision::ok_with(r::sender_ok());
}

std::size_t ClientSubmissionPolicy::recipient_limit() const {
    return tenant_ == nullptr ? 500 : tenant_->settings.recipients_per_message;
}

Decision ClientSubmissionPolicy::on_rcpt(const core::SessionState& state, const core::Path&, const core::RcptParams&) {
    if (legacy_tls_refused_) return Decision::close_with(r::legacy_tls_refused(bracket(state)));
    if (state.envelope.recipients.size() >= recipient_limit()) {
        return Decision::reject(protocol_error(state, core::ProtocolError::too_many_recipients));
    }
    return Decision::ok_with(r::recipient_ok());
}

bool ClientSubmissionPolicy::may_send_as(std::string_view address) const {
    if (lower(address) == lower(mailbox_->address)) return true;
    return std::any_of(mailbox_->send_as.begin(), mailbox_->send_as.end(),
                       [&](const std::string& a) { return lower(a) == lower(address); });
}

// §6 [WIRE]: decided after end of data; both the P1 MAIL FROM and the header From must be the
// mailbox itself or an address it holds Send As rights on.
std::optional<core::Reply> ClientSubmissionPolicy::send_as_block(const core::SessionState& state,
                                                                std::string_view content) const {
    std::optional<std::string> offender;
    const auto& rp = state.envelope.reverse_path;
    if (!rp.null && !may_send_as(rp.mailbox.str())) offender = rp.mailbox.str();
    const auto header_from = from_address(content);
    if (!offender && header_from && !may_send_as(*header_from)) offender = header_from;
    if (!header_from && env_->settings.reject_missing_from) return r::from_header_required(bracket(state));
    if (!offender) return std::nullopt;
    if (tenant_->settings.reply_style == SendAsReplyStyle::legacy) return r::send_as_denied_legacy(bracket(state));
    return r::send_as_denied(mailbox_->address, *offender, env_->settings.mailbox_server.fqdn());
}

Decision ClientSubmissionPolicy::on_message(const core::SessionState& state, std::string_view content) {
    const std::string b = bracket(state);
    annotations_ = "{}";
    stored_content_.reset();
    if (mailbox_ == nullptr) return Decision::reject(r::not_authenticated(b, last_auth_failure_));
    if (content.size() > env_->settings.max_message_size) return Decision::reject(r::message_too_big(b));
    if (env_->settings.thread_limit_stage == ThreadLimitStage::end_of_data && !slot_.within_limit()) {
        return Decision::reject(r::sender_thread_limit(b));
    }
    if (auto block = send_as_block(state, content)) return Decision::reject(*block);
    const TimePoint t = now();
    if (!env_->submission->try_consume_recipients(mailbox_->address, state.envelope.recipients.size(), t)) {
        return Decision::reject(r::submission_quota_exceeded(b));
    }
    // §6/§11 [DOC]: over 30/min the message is accepted and its delivery carried over.
    const TimePoint deliver = env_->submission->schedule_message(mailbox_->address, t);
    message_id_ = message_id_for(state, content, env_->settings.mailbox_server);
    std::string headers = received_header(state);
    if (!message_id(content)) headers += "Message-ID: " + message_id_ + "\r\n";
    stored_content_ = prepend_headers(content, headers);
    annotations_ = "{\"mailbox\":" + json_string(mailbox_->address) + ",\"submitted_at\":" +
                   json_string(iso8601_ms(t)) + ",\"deliver_after\":" + json_string(iso8601_ms(deliver)) +
                   ",\"throttled\":" + (deliver > t ? "true" : "false") +
                   ",\"message_id\":" + json_string(message_id_) + "}";
    return Decision::ok();
}

core::Reply ClientSubmissionPolicy::message_accepted(const core::SessionState& state, std::string_view content,
                                                     std::string_view) {
    if (message_id_.empty()) message_id_ = message_id_for(state, content, env_->settings.mailbox_server);
    auto reply = r::submission_queued(message_id_, env_->settings.mailbox_server.fqdn());
    message_id_.clear();
    return reply;
}

}  // namespace exosim::policy::exo
