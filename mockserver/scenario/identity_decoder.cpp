// Decoding of a scenario's `identity:` section (issue 13 "Scenario model"): the expected flow, the
// device-code approval, and the sign-in faults of issue 14 applied at the start and between jobs.
#include <charconv>

#include "scenario/model_decoder.hpp"

namespace exosim::scenario {

namespace {

// Longest wait or clock advance a scenario may ask for: a year covers 90-day refresh-token
// inactivity with room to spare; beyond that the value is more likely a typo.
constexpr std::int64_t max_duration_seconds = 366LL * 86400;
// A real wait between jobs longer than this would stall a suite; the clock advance is for days.
constexpr std::chrono::milliseconds max_wait{std::chrono::minutes(10)};

// "1500ms", "2s", "61m", "3h", "89d", or a bare number of seconds.
std::chrono::milliseconds duration(const Decoder& d, const DocNode& n, const std::string& path) {
    const std::string text = d.any_scalar(n, path);
    std::int64_t v = 0;
    const char* end = text.data() + text.size();
    const auto [p, ec] = std::from_chars(text.data(), end, v);
    const std::string unit(p, end);
    std::int64_t ms_per = 0;
    if (unit == "ms") ms_per = 1;
    else if (unit.empty() || unit == "s") ms_per = 1000;
    else if (unit == "m") ms_per = 60'000;
    else if (unit == "h") ms_per = 3'600'000;
    else if (unit == "d") ms_per = 86'400'000;
    if (ec != std::errc{} || p == text.data() || v < 0 || ms_per == 0) {
        d.fail(n.mark, path, "expected a duration (\"1500ms\", \"2s\", \"61m\", \"3h\", \"89d\"), found \"" + text + "\"");
    }
    if (v > max_duration_seconds * 1000 / ms_per) d.fail(n.mark, path, "longer than 366 days");
    return std::chrono::milliseconds(v * ms_per);
}

std::chrono::seconds whole_seconds(const Decoder& d, const DocNode& n, const std::string& path) {
    return std::chrono::duration_cast<std::chrono::seconds>(duration(d, n, path));
}

template <typename E>
E pick(const MapView& m, std::string_view key, std::initializer_list<std::pair<std::string_view, E>> names, E fallback) {
    const auto v = m.text(key);
    if (!v) return fallback;
    std::string list;
    for (const auto& [name, e] : names) {
        if (name == *v) return e;
        list += (list.empty() ? "" : ", ") + std::string(name);
    }
    m.decoder().fail(m.need(key).mark, m.path_of(key), "\"" + *v + "\" is not one of: " + list);
}

UserState decode_user_state(const MapView& m) {
    UserState u;
    u.mfa_required = m.boolean("mfa_required");
    u.ca_blocked = m.boolean("ca_blocked");
    u.disabled = m.boolean("disabled");
    u.password_expired = m.boolean("password_expired");
    u.locked = m.boolean("locked");
    return u;
}

TokenOutage decode_outage(const MapView& m) {
    TokenOutage o;
    if (auto v = m.integer("status", 500, 599)) o.status = static_cast<unsigned>(*v);
    if (auto v = m.integer("retry_after", 0, 3600)) o.retry_after = static_cast<unsigned>(*v);
    if (auto v = m.integer("times", 1, 100)) o.times = static_cast<unsigned>(*v);
    o.then = pick<OutageThen>(m, "then", {{"timeout", OutageThen::timeout}, {"slow", OutageThen::slow}}, OutageThen::none);
    if (const DocNode* n = m.find("delay")) o.delay = duration(m.decoder(), *n, m.path_of("delay"));
    return o;
}

IdentityFaults decode_faults(const MapView& m) {
    const Decoder& d = m.decoder();
    IdentityFaults f;
    if (const DocNode* n = m.find("user_state")) {
        f.user_state = decode_user_state(MapView(d, *n, m.path_of("user_state"),
                                                 {"mfa_required", "ca_blocked", "disabled", "password_expired", "locked"}));
    }
    f.device_code = pick<DeviceCodeFault>(m, "device_code",
                                          {{"decline", DeviceCodeFault::decline}, {"expire", DeviceCodeFault::expire}},
                                          DeviceCodeFault::none);
    if (const DocNode* n = m.find("token_endpoint")) {
        f.token_endpoint = decode_outage(MapView(d, *n, m.path_of("token_endpoint"),
                                                 {"status", "retry_after", "times", "then", "delay"}));
    }
    if (const DocNode* n = m.find("nbf_ahead")) f.nbf_ahead = whole_seconds(d, *n, m.path_of("nbf_ahead"));
    if (auto v = m.text("consent_missing")) f.consent_missing = *v;
    f.secret_expired = m.boolean("secret_expired").value_or(false);
    f.revoke_refresh_tokens = m.boolean("revoke_refresh_tokens").value_or(false);
    f.rotate_signing_key = m.boolean("rotate_signing_key").value_or(false);
    if (const DocNode* n = m.find("advance")) f.advance = whole_seconds(d, *n, m.path_of("advance"));
    if (const DocNode* n = m.find("wait")) {
        f.wait = duration(d, *n, m.path_of("wait"));
        if (f.wait > max_wait) d.fail(n->mark, m.path_of("wait"), "longer than 10 minutes (use advance to move the sign-in clock)");
    }
    return f;
}

constexpr std::string_view fault_keys[] = {"user_state", "device_code", "token_endpoint", "nbf_ahead", "consent_missing",
                                           "secret_expired", "revoke_refresh_tokens", "rotate_signing_key", "advance", "wait"};

}  // namespace

IdentityScript decode_identity(const MapView& m) {
    const Decoder& d = m.decoder();
    IdentityScript s;
    s.present = true;
    s.expect_flow = pick<ExpectFlow>(m, "expect_flow",
                                     {{"device_code", ExpectFlow::device_code},
                                      {"authorization_code", ExpectFlow::authorization_code},
                                      {"client_credentials", ExpectFlow::client_credentials},
                                      {"any", ExpectFlow::any}},
                                     ExpectFlow::any);
    s.approval = pick<Approval>(m, "approval",
                                {{"auto", Approval::auto_approve}, {"decline", Approval::decline}, {"manual", Approval::manual}},
                                Approval::auto_approve);
    if (const DocNode* n = m.find("approval_delay")) s.approval_delay = duration(d, *n, m.path_of("approval_delay"));
    if (auto v = m.text("user")) s.user = *v;
    if (auto v = m.text("tenant")) s.tenant = *v;
    if (auto v = m.text("client_id")) s.client_id = *v;
    if (auto v = m.text("client_secret")) s.client_secret = *v;
    if (auto v = m.integer("jobs", 1, 100)) s.jobs = static_cast<unsigned>(*v);
    if (const DocNode* n = m.find("access_token_lifetime")) {
        s.access_token_lifetime = whole_seconds(d, *n, m.path_of("access_token_lifetime"));
        if (s.access_token_lifetime->count() < 1) d.fail(n->mark, m.path_of("access_token_lifetime"), "at least 1s");
    }
    if (const DocNode* n = m.find("faults")) s.faults = decode_faults(MapView(d, *n, m.path_of("faults"), fault_keys));
    if (const DocNode* n = m.find("between_jobs")) {
        s.between_jobs = decode_faults(MapView(d, *n, m.path_of("between_jobs"), fault_keys));
        if (s.between_jobs.device_code != DeviceCodeFault::none)
            d.fail(n->mark, m.path_of("between_jobs"), "device_code applies to the run, not between jobs (use faults)");
    }
    if (s.jobs == 1 && !s.between_jobs.empty())
        d.fail(m.need("between_jobs").mark, m.path_of("between_jobs"), "needs jobs: 2 or more");
    return s;
}

}  // namespace exosim::scenario
