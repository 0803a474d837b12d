#include "scenario/report_json.hpp"

#include <stdexcept>

#include <boost/json.hpp>

#include "scenario/report_text.hpp"

namespace exosim::scenario {

namespace json = boost::json;

namespace {

constexpr std::string_view schema = "exosim.results/1";

json::string text(std::string_view s) { return json::string(valid_utf8(s)); }

json::array strings(const std::vector<std::string>& v) {
    json::array a;
    for (const std::string& s : v) a.emplace_back(text(s));
    return a;
}

json::object finding_json(const Finding& f) {
    return {{"rule", f.rule}, {"verdict", verdict_name(f.verdict)}, {"severity", severity_name(f.severity)},
            {"message", text(f.message)}, {"quotes", strings(f.quotes)},
            {"expected", f.expected ? json::value(verdict_name(*f.expected)) : json::value(nullptr)},
            {"as_expected", f.as_expected}};
}

json::object transcript_json(const ConnectionTranscript& t) {
    json::array lines;
    for (const TranscriptLine& l : t.lines) {
        const char* dir = l.dir == TranscriptLine::Dir::client ? "C" : l.dir == TranscriptLine::Dir::server ? "S" : "event";
        lines.emplace_back(json::object{{"dir", dir}, {"t_ms", l.t.count()}, {"tls", l.tls},
                                        {"same_read", l.same_read}, {"text", text(l.text)}});
    }
    return {{"session_id", text(t.session_id)}, {"listener", text(t.listener)}, {"lines", std::move(lines)}};
}

// issue 13: the sign-in requests (never a secret; refresh tokens by fingerprint only).
json::object identity_json(const IdentityRecord& r) {
    json::object o{{"t_ms", r.t.count()}, {"method", text(r.method)}, {"host", text(r.host)}, {"path", text(r.path)},
            {"endpoint", text(r.endpoint)}, {"tenant", text(r.tenant_segment)}, {"grant", text(r.grant)},
            {"client_id", text(r.client_id)}, {"user", text(r.user)}, {"scope", text(r.scope)}, {"status", r.status},
            {"ok", r.ok}, {"error", text(r.error)}, {"aadsts", r.aadsts}, {"retry_after", r.retry_after},
            {"interval", r.interval}, {"refresh_used", text(r.refresh_used)}, {"refresh_issued", text(r.refresh_issued)},
            {"access_token_issued", r.access_token_issued}, {"expires_in", r.token_expires_in}};
    // Exchange's XOAUTH2 checks: the token's claims and fingerprint (never the token).
    if (r.endpoint == "xoauth2") {
        o["token"] = json::object{{"jwt", r.token_jwt}, {"upn", text(r.token_upn)}, {"app_only", r.token_app_only},
                                  {"nbf", r.token_nbf}, {"exp", r.token_exp}, {"fingerprint", text(r.token_fingerprint)}};
    }
    return o;
}

json::object timeline_json(const TimelineLine& l) {
    return {{"t_ms", l.t.count()}, {"source", text(l.source)}, {"tls", l.tls}, {"text", text(l.text)}};
}

// Only runs with sign-in requests carry these keys: other documents stay as they were.
void add_identity(json::object& o, const RunResult& r) {
    if (r.identity_requests.empty() && r.timeline.empty()) return;
    json::array requests, timeline;
    for (const IdentityRecord& i : r.identity_requests) requests.emplace_back(identity_json(i));
    for (const TimelineLine& l : r.timeline) timeline.emplace_back(timeline_json(l));
    o["identity_requests"] = std::move(requests);
    o["timeline"] = std::move(timeline);
}

json::object run_json(const RunResult& r) {
    json::array findings, runs, transcripts;
    for (const Finding& f : r.findings) findings.emplace_back(finding_json(f));
    for (const ClientRun& c : r.client_runs)
        runs.emplace_back(json::object{{"exit_code", c.exit_code ? json::value(*c.exit_code) : json::value(nullptr)},
                                       {"stdout_tail", text(c.stdout_tail)}, {"stderr_tail", text(c.stderr_tail)},
                                       {"duration_ms", c.duration.count()}});
    for (const ConnectionTranscript& t : r.transcripts) transcripts.emplace_back(transcript_json(t));
    json::object o{{"id", text(r.scenario_id)}, {"title", text(r.title)}, {"source_file", text(r.source_file)},
            {"tags", strings(r.tags)}, {"verdict", verdict_name(r.verdict)}, {"error", text(r.error)},
            {"expected_outcome", outcome_name(r.expected_outcome)},
            {"actual_outcome", r.actual_outcome ? json::value(outcome_name(*r.actual_outcome)) : json::value(nullptr)},
            {"duration_ms", r.duration.count()}, {"attempts", r.attempts}, {"tls_versions", strings(r.tls_versions)},
            {"findings", std::move(findings)}, {"client_runs", std::move(runs)}, {"transcripts", std::move(transcripts)}};
    add_identity(o, r);
    return o;
}

// Reading back: every accessor throws on a wrong type; parse_results_json turns that into
// std::invalid_argument.
std::string str(const json::object& o, std::string_view key) { return std::string(o.at(key).as_string()); }

std::vector<std::string> str_list(const json::object& o, std::string_view key) {
    std::vector<std::string> out;
    for (const json::value& v : o.at(key).as_array()) out.emplace_back(v.as_string());
    return out;
}

Verdict verdict_of(const json::value& v) {
    if (auto x = verdict_from_name(v.as_string())) return *x;
    throw std::invalid_argument("unknown verdict");
}

Outcome outcome_of(const json::value& v) {
    if (auto x = outcome_from_name(v.as_string())) return *x;
    throw std::invalid_argument("unknown outcome");
}

Finding finding_of(const json::object& o) {
    Finding f{str(o, "rule"), verdict_of(o.at("verdict")), Severity::info, str(o, "message"), str_list(o, "quotes"), {}, o.at("as_expected").as_bool()};
    const std::string sev = str(o, "severity");
    f.severity = sev == "error" ? Severity::error : sev == "warning" ? Severity::warning : Severity::info;
    if (!o.at("expected").is_null()) f.expected = verdict_of(o.at("expected"));
    return f;
}

ConnectionTranscript transcript_of(const json::object& o) {
    ConnectionTranscript t{str(o, "session_id"), str(o, "listener"), {}};
    for (const json::value& v : o.at("lines").as_array()) {
        const json::object& l = v.as_object();
        const std::string dir = str(l, "dir");
        t.lines.push_back({dir == "C" ? TranscriptLine::Dir::client : dir == "S" ? TranscriptLine::Dir::server : TranscriptLine::Dir::event,
                           std::chrono::milliseconds(l.at("t_ms").to_number<long long>()), l.at("tls").as_bool(),
                           l.at("same_read").as_bool(), str(l, "text")});
    }
    return t;
}

IdentityRecord identity_of(const json::object& o) {
    IdentityRecord r;
    r.t = std::chrono::milliseconds(o.at("t_ms").to_number<long long>());
    r.method = str(o, "method");
    r.host = str(o, "host");
    r.path = str(o, "path");
    r.endpoint = str(o, "endpoint");
    r.tenant_segment = str(o, "tenant");
    r.grant = str(o, "grant");
    r.client_id = str(o, "client_id");
    r.user = str(o, "user");
    r.scope = str(o, "scope");
    r.status = o.at("status").to_number<unsigned>();
    r.ok = o.at("ok").as_bool();
    r.error = str(o, "error");
    r.aadsts = o.at("aadsts").to_number<unsigned>();
    r.retry_after = o.at("retry_after").to_number<unsigned>();
    r.interval = o.at("interval").to_number<unsigned>();
    r.refresh_used = str(o, "refresh_used");
    r.refresh_issued = str(o, "refresh_issued");
    r.access_token_issued = o.at("access_token_issued").as_bool();
    r.token_expires_in = o.at("expires_in").to_number<std::int64_t>();
    if (const json::value* t = o.if_contains("token")) {
        const json::object& k = t->as_object();
        r.token_jwt = k.at("jwt").as_bool();
        r.token_upn = str(k, "upn");
        r.token_app_only = k.at("app_only").as_bool();
        r.token_nbf = k.at("nbf").to_number<std::int64_t>();
        r.token_exp = k.at("exp").to_number<std::int64_t>();
        r.token_fingerprint = str(k, "fingerprint");
    }
    return r;
}

void read_identity(const json::object& o, RunResult& r) {
    if (const json::value* v = o.if_contains("identity_requests"))
        for (const json::value& i : v->as_array()) r.identity_requests.push_back(identity_of(i.as_object()));
    if (const json::value* v = o.if_contains("timeline")) {
        for (const json::value& i : v->as_array()) {
            const json::object& l = i.as_object();
            r.timeline.push_back({std::chrono::milliseconds(l.at("t_ms").to_number<long long>()), str(l, "source"),
                                  str(l, "text"), l.at("tls").as_bool()});
        }
    }
}

RunResult run_of(const json::object& o) {
    RunResult r;
    r.scenario_id = str(o, "id");
    r.title = str(o, "title");
    r.source_file = str(o, "source_file");
    r.tags = str_list(o, "tags");
    r.verdict = verdict_of(o.at("verdict"));
    r.error = str(o, "error");
    r.expected_outcome = outcome_of(o.at("expected_outcome"));
    if (!o.at("actual_outcome").is_null()) r.actual_outcome = outcome_of(o.at("actual_outcome"));
    r.duration = std::chrono::milliseconds(o.at("duration_ms").to_number<long long>());
    r.attempts = o.at("attempts").to_number<unsigned>();
    r.tls_versions = str_list(o, "tls_versions");
    for (const json::value& v : o.at("findings").as_array()) r.findings.push_back(finding_of(v.as_object()));
    for (const json::value& v : o.at("client_runs").as_array()) {
        const json::object& c = v.as_object();
        ClientRun run{std::nullopt, str(c, "stdout_tail"), str(c, "stderr_tail"),
                      std::chrono::milliseconds(c.at("duration_ms").to_number<long long>())};
        if (!c.at("exit_code").is_null()) run.exit_code = c.at("exit_code").to_number<int>();
        r.client_runs.push_back(std::move(run));
    }
    for (const json::value& v : o.at("transcripts").as_array()) r.transcripts.push_back(transcript_of(v.as_object()));
    read_identity(o, r);
    return r;
}

ShardInfo shard_info_of(const json::object& o) {
    ShardInfo info{o.at("index").to_number<unsigned>(), o.at("count").to_number<unsigned>(), str_list(o, "suite_ids")};
    if (info.count == 0 || info.index == 0 || info.index > info.count)
        throw std::invalid_argument("shard index " + std::to_string(info.index) + " of " + std::to_string(info.count));
    return info;
}

}  // namespace

std::string results_json(const SuiteResult& s) {
    json::array runs;
    for (const RunResult& r : s.runs) runs.emplace_back(run_json(r));
    const json::object summary{{"total", s.runs.size()}, {"pass", s.count(Verdict::pass)}, {"fail", s.count(Verdict::fail)},
                               {"error", s.count(Verdict::error)}, {"skipped", s.count(Verdict::skipped)}};
    json::object doc{{"schema", schema}, {"suite", text(s.name)}, {"started_at", text(s.started_at)},
                     {"duration_ms", s.duration.count()}, {"summary", summary}};
    if (s.shard)
        doc["shard"] = json::object{{"index", s.shard->index}, {"count", s.shard->count}, {"suite_ids", strings(s.shard->suite_ids)}};
    doc["scenarios"] = std::move(runs);
    return json::serialize(doc) + "\n";
}

SuiteResult parse_results_json(std::string_view input) {
    try {
        const json::object doc = json::parse(input).as_object();
        if (doc.at("schema").as_string() != schema) throw std::invalid_argument("not an exosim.results/1 document");
        SuiteResult s{str(doc, "suite"), str(doc, "started_at"), std::chrono::milliseconds(doc.at("duration_ms").to_number<long long>()), {}, std::nullopt};
        for (const json::value& v : doc.at("scenarios").as_array()) s.runs.push_back(run_of(v.as_object()));
        if (const json::value* shard = doc.if_contains("shard")) s.shard = shard_info_of(shard->as_object());
        return s;
    } catch (const std::invalid_argument&) {
        throw;
    } catch (const std::exception& e) {
        throw std::invalid_argument(std::string("results.json: ") + e.what());
    }
}

}  // namespace exosim::scenario
