// Names of the scenario enums as they appear in scenario files, reports and the control API.
// One table per enum so that name -> value and value -> name can never disagree.
#include "scenario/model.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace exosim::scenario {

namespace {

template <typename E, std::size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

constexpr NameTable<Step, 14> step_names{{
    {Step::greeting, "greeting"}, {Step::ehlo, "ehlo"}, {Step::helo, "helo"},
    {Step::starttls, "starttls"}, {Step::auth, "auth"}, {Step::mail, "mail"},
    {Step::rcpt, "rcpt"}, {Step::data, "data"}, {Step::end_of_data, "end_of_data"},
    {Step::bdat, "bdat"}, {Step::rset, "rset"}, {Step::quit, "quit"},
    {Step::noop, "noop"}, {Step::any, "any"},
}};

constexpr NameTable<Outcome, 5> outcome_names{{
    {Outcome::delivered, "delivered"}, {Outcome::rejected, "rejected"},
    {Outcome::deferred, "deferred"}, {Outcome::aborted, "aborted"},
    {Outcome::not_attempted, "not_attempted"},
}};

constexpr NameTable<Verdict, 4> verdict_names{{
    {Verdict::pass, "pass"}, {Verdict::fail, "fail"}, {Verdict::error, "error"}, {Verdict::skipped, "skipped"},
}};

constexpr NameTable<CertificateKind, 7> certificate_names{{
    {CertificateKind::valid, "valid"}, {CertificateKind::self_signed, "self_signed"},
    {CertificateKind::unknown_ca, "unknown_ca"}, {CertificateKind::wrong_host, "wrong_host"},
    {CertificateKind::expired, "expired"}, {CertificateKind::not_yet_valid, "not_yet_valid"},
    {CertificateKind::missing_intermediate, "missing_intermediate"},
}};

template <typename E, std::size_t N>
std::string_view name_of(const NameTable<E, N>& table, E value) {
    for (const auto& [v, name] : table) {
        if (v == value) return name;
    }
    return "unknown";
}

template <typename E, std::size_t N>
std::optional<E> value_of(const NameTable<E, N>& table, std::string_view name) {
    for (const auto& [v, n] : table) {
        if (n == name) return v;
    }
    return std::nullopt;
}

}  // namespace

bool Expectation::accepts(Outcome o) const {
    return o == outcome || std::find(other_outcomes.begin(), other_outcomes.end(), o) != other_outcomes.end();
}

std::string_view step_name(Step s) { return name_of(step_names, s); }
std::optional<Step> step_from_name(std::string_view name) { return value_of(step_names, name); }
std::string_view outcome_name(Outcome o) { return name_of(outcome_names, o); }
std::optional<Outcome> outcome_from_name(std::string_view name) { return value_of(outcome_names, name); }
std::string_view verdict_name(Verdict v) { return name_of(verdict_names, v); }
std::optional<Verdict> verdict_from_name(std::string_view name) { return value_of(verdict_names, name); }
std::string_view certificate_kind_name(CertificateKind k) { return name_of(certificate_names, k); }
std::optional<CertificateKind> certificate_kind_from_name(std::string_view name) {
    return value_of(certificate_names, name);
}

}  // namespace exosim::scenario

namespace exosim::scenario {

bool IdentityFaults::empty() const {
    const UserState& u = user_state;
    return !u.mfa_required && !u.ca_blocked && !u.disabled && !u.password_expired && !u.locked &&
           device_code == DeviceCodeFault::none && !token_endpoint && !nbf_ahead && !consent_missing &&
           !secret_expired && !revoke_refresh_tokens && !rotate_signing_key && advance.count() == 0 && wait.count() == 0;
}

std::string_view expect_flow_name(ExpectFlow f) {
    switch (f) {
        case ExpectFlow::device_code: return "device_code";
        case ExpectFlow::authorization_code: return "authorization_code";
        case ExpectFlow::client_credentials: return "client_credentials";
        case ExpectFlow::any: break;
    }
    return "any";
}

}  // namespace exosim::scenario
