#include "policy/exchange_online/exo_policy_base.hpp"

#include <cstdio>

#include "core/ascii.hpp"
#include "policy/exchange_online/sha256.hpp"
#include "policy/exchange_online/message_headers.hpp"

namespace exosim::policy::exo {

namespace r = replies;
using core::Decision;
using core::ProtocolError;

bool plausible_ehlo_domain(std::string_view d) {
    if (d.empty()) return false;
    if (d.front() == '[') return d.size() > 2 && d.back() == ']';
    if (d.back() == '.') d.remove_suffix(1);  // a trailing root dot is tolerated
    std::size_t label = 0;
    for (std::size_t i = 0; i <= d.size(); ++i) {
        if (i == d.size() || d[i] == '.') {
            if (label == 0 || label > 63 || d[i - 1] == '-' || d[i - label] == '-') return false;
            label = 0;
            continue;
        }
        const char c = d[i];
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                        c == '_' || static_cast<unsigned char>(c) >= 0x80;
        if (!ok) return false;
        ++label;
    }
    return true;
}

std::string json_string(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

ExoPolicyBase::ExoPolicyBase(std::shared_ptr<const ExoEnvironment> env, NodeIdentity node, std::string host,
                             bool banner_session_id)
    : env_(std::move(env)), node_(std::move(node)), host_(std::move(host)), banner_session_id_(banner_session_id) {}

std::string ExoPolicyBase::bracket(const core::SessionState& state) const {
    return diagnostic_bracket(node_, now(), state.connection.session_id, env_->settings.bracket_style);
}

// Shape of the hops seen on the wire (reference, TLS 1.3 section [WIRE]): "with Microsoft SMTP Server
// (version=TLS1_2, cipher=...) ... via Frontend Transport". INFER: the build "id 15.20..." is left
// out (unknown), the cipher is OpenSSL's name, and a plaintext hop has no parenthesis.
std::string ExoPolicyBase::received_header(const core::SessionState& state) const {
    const std::string seen = seen_address(state);
    std::string tls;
    switch (state.tls.version) {
        case core::TlsVersion::tls1_0: tls = "TLS1_0"; break;
        case core::TlsVersion::tls1_1: tls = "TLS1_1"; break;
        case core::TlsVersion::tls1_2: tls = "TLS1_2"; break;
        case core::TlsVersion::tls1_3: tls = "TLS1_3"; break;
        case core::TlsVersion::none: break;
    }
    std::string out = "Received: from " + state.helo.value_or(seen) + " (" + seen + ") by\r\n " + node_.fqdn() +
                      " with Microsoft SMTP Server";
    if (!tls.empty()) out += "\r\n (version=" + tls + ", cipher=" + state.tls.cipher + ")";
    return out + " via Frontend Transport;\r\n " + banner_date(now()) + "\r\n";
}

std::string ExoPolicyBase::seen_address(const core::SessionState& state) {
    return state.connection.seen_address.empty() ? state.connection.client_address : state.connection.seen_address;
}

core::EngineSettings ExoPolicyBase::settings(const core::SessionState&) const {
    core::EngineSettings s;
    s.bare_line_endings =
        env_->settings.normalize_bare_lf ? core::BareLineEnding::normalize : core::BareLineEnding::reject;
    s.max_recipients = 1000;  // §11: the tenant limit (1..1000) is applied per RCPT by the profile
    return s;
}

Decision ExoPolicyBase::on_connect(const core::SessionState& state) {
    std::optional<std::string_view> id;
    if (banner_session_id_ && env_->settings.bracket_style == BracketStyle::current) {
        id = state.connection.session_id;
    }
    return Decision::ok_with(r::banner(host_, now(), id));
}

Decision ExoPolicyBase::on_ehlo(const core::SessionState& state, std::string_view domain, bool) {
    if (!plausible_ehlo_domain(domain)) return Decision::reject(r::invalid_domain_name(bracket(state)));
    return Decision::ok();
}

std::string ExoPolicyBase::ehlo_greeting(const core::SessionState& state) const {
    return r::hello_line(host_, seen_address(state));
}

Decision ExoPolicyBase::on_starttls(const core::SessionState&) { return Decision::ok_with(r::starttls_ready()); }
Decision ExoPolicyBase::on_data(const core::SessionState&) { return Decision::ok_with(r::start_mail_input()); }
Decision ExoPolicyBase::on_quit(const core::SessionState&) { return Decision::ok_with(r::closing()); }
Decision ExoPolicyBase::on_rset(const core::SessionState&) { return Decision::ok_with(r::resetting()); }

Decision ExoPolicyBase::on_vrfy(const core::SessionState&, std::string_view arg) {
    return Decision::ok_with(r::cannot_vrfy(arg));
}

core::Reply ExoPolicyBase::help(const core::SessionState&) const { return r::help(); }
core::Reply ExoPolicyBase::noop(const core::SessionState&) const { return r::noop_ok(); }

core::Reply ExoPolicyBase::protocol_error(const core::SessionState& state, ProtocolError error) const {
    const std::string b = bracket(state);
    switch (error) {
        case ProtocolError::line_too_long: return r::line_too_long(b);
        case ProtocolError::unknown_command:
        case ProtocolError::http_command: return r::unrecognized_command(b);
        case ProtocolError::syntax: return r::syntax_error(b);
        case ProtocolError::need_hello: return r::send_hello_first(b);
        case ProtocolError::bad_path: return r::invalid_address(b);
        case ProtocolError::bad_param: return r::unrecognized_parameter(b);
        case ProtocolError::utf8_not_negotiated: return r::smtputf8_required(b);
        case ProtocolError::bare_line_ending:
        case ProtocolError::bare_line_ending_in_data: return r::bare_line_feed(b);
        case ProtocolError::too_many_recipients:
            return env_->settings.too_many_recipients_reply == RecipientLimitReply::ndr_550 ? r::recipient_limit_ndr(b)
                                                                                           : r::too_many_recipients(b);
        case ProtocolError::message_too_big: return r::message_too_big(b);
        case ProtocolError::no_valid_recipients: return r::no_valid_recipients(b);
        case ProtocolError::tls_not_available: return r::tls_not_available(b);
        // §4: AUTH before TLS (not advertised) and unknown mechanisms both get 504 5.7.4.
        case ProtocolError::auth_unknown_mechanism:
        case ProtocolError::auth_not_available: return r::unrecognized_auth_type(b);
        case ProtocolError::auth_cancelled: return r::auth_cancelled(b);
        case ProtocolError::auth_bad_base64: return r::auth_bad_base64(b);
        case ProtocolError::too_many_errors:
        case ProtocolError::input_overflow: return r::too_many_errors(b);
        case ProtocolError::timeout: return r::timeout(b);
        case ProtocolError::shutting_down: return r::shutting_down(b);
        case ProtocolError::local_error: return r::local_error(b);
        case ProtocolError::unauthorized_pipelining:
        case ProtocolError::pregreet: return r::protocol_violation(b);
        case ProtocolError::bad_sequence:
        case ProtocolError::tls_already_active:
        case ProtocolError::auth_already:
        case ProtocolError::auth_in_transaction:
        case ProtocolError::bdat_not_offered: return r::bad_sequence(b);
    }
    return r::bad_sequence(b);
}

std::string ExoPolicyBase::annotations_json(const core::SessionState&) const { return annotations_; }

std::optional<std::string> ExoPolicyBase::stored_content(const core::SessionState&, std::string_view) const {
    return stored_content_;
}

std::string ExoPolicyBase::message_id_for(const core::SessionState& state, std::string_view content,
                                          const NodeIdentity& server) const {
    if (auto id = message_id(content)) return *id;
    // Exchange form (§5 [WIRE]): "<BYAPR17MB292020A5...C192@BYAPR17MB2920.namprd17.prod.outlook.com>".
    const std::string seed = state.connection.session_id + "/" + std::to_string(state.messages_accepted) + "/" +
                             iso8601_ms(now()) + "/" + std::to_string(content.size());
    const auto d = sha256(seed);
    std::string tail;
    for (std::size_t i = 0; i < 12; ++i) core::ascii::append_hex(tail, d[i], core::ascii::HexCase::upper);
    return "<" + server.name + tail + "@" + lower(server.fqdn()) + ">";
}

}  // namespace exosim::policy::exo
