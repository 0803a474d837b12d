#include "scenario/report_html.hpp"

#include "scenario/report_text.hpp"

namespace exosim::scenario {

namespace {

constexpr std::string_view style = R"(
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2327;background:#fafafa}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}h3{font-size:15px;margin:0}
.meta{color:#555;margin-bottom:16px}
table{border-collapse:collapse;background:#fff;margin-bottom:12px}
th,td{border:1px solid #d0d4d8;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef0f2;font-weight:600}
.v{font-weight:700;text-transform:uppercase;font-size:12px;text-align:center;white-space:nowrap}
.pass{background:#d7f5dd;color:#14532d}.fail{background:#fcd9d9;color:#7f1d1d}
.error{background:#fde9c8;color:#7c3f00}.skipped{background:#eceff1;color:#555}
.warning{background:#fff4c2;color:#6b5200}
.rules th.r{writing-mode:vertical-rl;transform:rotate(180deg);font-size:11px;font-weight:500;padding:6px 2px}
.rules td.m{text-align:center;padding:2px 4px;font-size:12px}
.card{background:#fff;color:#1d2327;border:1px solid #d0d4d8;border-left:6px solid #999;padding:10px 14px;margin:12px 0}
.card.pass{border-left-color:#22a447;background:#fff;color:#1d2327}.card.fail{border-left-color:#d33;background:#fff;color:#1d2327}
.card.error{border-left-color:#e08a00;background:#fff;color:#1d2327}.card.skipped{border-left-color:#999;background:#fff;color:#1d2327}
.finding{margin:6px 0}.finding .q{font:12px/1.35 ui-monospace,monospace;color:#333;margin:2px 0 0 18px;white-space:pre-wrap}
.tag{display:inline-block;background:#e6ecf5;border-radius:3px;padding:0 5px;margin-right:4px;font-size:12px}
details{margin-top:8px}summary{cursor:pointer;color:#0b5cad}
pre.t{font:12px/1.35 ui-monospace,monospace;background:#11161c;color:#d7dde3;padding:10px;overflow-x:auto}
pre.t .c{color:#8fd3ff}pre.t .s{color:#b8e07a}pre.t .e{color:#f0c674}pre.t .i{color:#ffb3d9}pre.t .tls{color:#c397d8}
pre.out{font:12px ui-monospace,monospace;background:#f3f4f6;padding:8px;white-space:pre-wrap}
)";

std::string esc(std::string_view s) { return html_escape(s); }
std::string vname(Verdict v) { return std::string(verdict_name(v)); }
std::string anchor(const RunResult& r) { return "s-" + esc(r.scenario_id); }

std::string outcome_text(const RunResult& r) {
    return std::string(outcome_name(r.expected_outcome)) + " / " +
           (r.actual_outcome ? std::string(outcome_name(*r.actual_outcome)) : std::string("-"));
}

std::string summary_table(const SuiteResult& s) {
    std::string h = "<h2>Scenarios</h2><table><tr><th>Scenario</th><th>Verdict</th><th>Outcome expected / actual</th>"
                    "<th>Attempts</th><th>TLS</th><th>Tags</th></tr>\n";
    for (const RunResult& r : s.runs) {
        std::string tls, tags;
        for (const std::string& v : r.tls_versions) tls += (tls.empty() ? "" : ", ") + (v.empty() ? std::string("none") : v);
        for (const std::string& t : r.tags) tags += "<span class=\"tag\">" + esc(t) + "</span>";
        h += "<tr><td><a href=\"#" + anchor(r) + "\">" + esc(r.scenario_id) + "</a><br><small>" + esc(r.title) + "</small></td>"
             "<td class=\"v " + vname(r.verdict) + "\">" + vname(r.verdict) + "</td><td>" + esc(outcome_text(r)) + "</td><td>" +
             std::to_string(r.attempts) + "</td><td>" + esc(tls) + "</td><td>" + tags + "</td></tr>\n";
    }
    return h + "</table>\n";
}

// Scenario x rule: one coloured cell per rule verdict; an unexpected verdict is outlined.
std::string rule_matrix(const SuiteResult& s) {
    std::string h = "<h2>Rules</h2><table class=\"rules\"><tr><th>Scenario</th><th class=\"r\">outcome</th>";
    for (const RuleInfo& info : rule_catalogue()) h += "<th class=\"r\" title=\"" + esc(info.summary) + "\">" + esc(info.id) + "</th>";
    h += "</tr>\n";
    for (const RunResult& r : s.runs) {
        h += "<tr><td><a href=\"#" + anchor(r) + "\">" + esc(r.scenario_id) + "</a></td>";
        auto cell = [&](std::string_view id) {
            for (const Finding& f : r.findings)
                if (f.rule == id) {
                    const std::string mark = f.verdict == Verdict::pass ? "&#10003;" : f.verdict == Verdict::fail ? "&#10007;" : "&#8211;";
                    const std::string cls = f.severity == Severity::warning && f.verdict == Verdict::pass ? "warning" : vname(f.verdict);
                    return "<td class=\"m " + cls + "\"" + (f.as_expected ? "" : " style=\"outline:2px solid #000\"") +
                           " title=\"" + esc(f.message) + "\">" + mark + "</td>";
                }
            return std::string("<td class=\"m\"></td>");
        };
        h += cell("outcome");
        for (const RuleInfo& info : rule_catalogue()) h += cell(info.id);
        h += "</tr>\n";
    }
    return h + "</table><p class=\"meta\">&#10003; pass, &#10007; fail, &#8211; skipped; outlined: not what the scenario expects.</p>\n";
}

std::string transcript_html(const ConnectionTranscript& t) {
    std::string h = "<pre class=\"t\">";
    for (const TranscriptLine& l : t.lines) {
        const std::string cls = l.dir == TranscriptLine::Dir::client ? "c" : l.dir == TranscriptLine::Dir::server ? "s" : "e";
        const std::string who = l.dir == TranscriptLine::Dir::event ? "" : l.same_read ? ".. " : cls == "c" ? "C: " : "S: ";
        h += esc(seconds_text(l.t)) + "s " + (l.tls ? "<span class=\"tls\">[tls]</span> " : "      ") + "<span class=\"" + cls +
             "\">" + esc(who + l.text) + "</span>\n";
    }
    return h + "</pre>\n";
}

// issue 13: the sign-in requests and the SMTP sessions of the run on one timeline.
std::string timeline_html(const RunResult& r) {
    std::string h = "<details open><summary>Timeline: " + std::to_string(r.identity_requests.size()) +
                    " sign-in request(s), " + std::to_string(r.transcripts.size()) + " SMTP connection(s)</summary><pre class=\"t\">";
    for (const TimelineLine& l : r.timeline) {
        const bool smtp = !l.source.empty() && l.source.front() == '#';
        const std::string cls = l.source == "identity" ? "i" : !smtp ? "e" : l.text.rfind("C: ", 0) == 0 ? "c" : l.text.rfind("S: ", 0) == 0 ? "s" : "e";
        std::string src = l.source;
        src.resize(std::max<std::size_t>(src.size(), 8), ' ');
        h += esc(seconds_text(l.t)) + "s " + esc(src) + " " + (smtp && l.tls ? "<span class=\"tls\">[tls]</span> " : "      ") +
             "<span class=\"" + cls + "\">" + esc(l.text) + "</span>\n";
    }
    return h + "</pre></details>\n";
}

std::string findings_html(const RunResult& r) {
    std::string h;
    if (!r.error.empty()) h += "<div class=\"finding\"><span class=\"v error\">error</span> " + esc(r.error) + "</div>\n";
    for (const Finding& f : r.findings) {
        if (f.verdict == Verdict::skipped && f.as_expected) continue;
        const std::string cls = f.severity == Severity::warning && f.verdict == Verdict::pass ? "warning" : vname(f.verdict);
        h += "<div class=\"finding\"><span class=\"v " + cls + "\">&nbsp;" + vname(f.verdict) + "&nbsp;</span> <b>" + esc(f.rule) +
             "</b>: " + esc(f.message);
        if (f.expected) h += " <i>(expected " + vname(*f.expected) + ")</i>";
        if (!f.as_expected) h += " <b>&#8592; unexpected</b>";
        for (const std::string& q : f.quotes) h += "<div class=\"q\">" + esc(q) + "</div>";
        h += "</div>\n";
    }
    return h;
}

std::string scenario_card(const RunResult& r) {
    std::string h = "<div class=\"card " + vname(r.verdict) + "\" id=\"" + anchor(r) + "\"><h3><span class=\"v " + vname(r.verdict) +
                     "\">&nbsp;" + vname(r.verdict) + "&nbsp;</span> " + esc(r.scenario_id) + " &mdash; " + esc(r.title) + "</h3>" +
                     "<div class=\"meta\">" + esc(r.source_file) + " &middot; outcome " + esc(outcome_text(r)) + " &middot; " +
                     std::to_string(r.attempts) + " connection(s) &middot; " + esc(seconds_text(r.duration)) + "s</div>\n" +
                     findings_html(r);
    if (!r.timeline.empty()) h += timeline_html(r);
    for (std::size_t i = 0; i < r.transcripts.size(); ++i) {
        const ConnectionTranscript& t = r.transcripts[i];
        const std::string where = t.listener.empty() && t.session_id.empty() ? "" : " (" + esc(t.listener) + " " + esc(t.session_id) + ")";
        h += "<details><summary>Transcript, connection " + std::to_string(i + 1) + where + "</summary>" + transcript_html(t) + "</details>\n";
    }
    for (std::size_t i = 0; i < r.client_runs.size(); ++i) {
        const ClientRun& c = r.client_runs[i];
        h += "<details><summary>Client run " + std::to_string(i + 1) + ", exit " +
             (c.exit_code ? std::to_string(*c.exit_code) : std::string("n/a")) + "</summary><pre class=\"out\">" +
             esc(c.stdout_tail) + (c.stderr_tail.empty() ? "" : "\n--- stderr ---\n" + esc(c.stderr_tail)) + "</pre></details>\n";
    }
    return h + "</div>\n";
}

}  // namespace

std::string report_html(const SuiteResult& s) {
    std::string h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width\">"
                    "<title>exosim certify: " + esc(s.name) + "</title><style>" + std::string(style) + "</style></head><body>\n";
    h += "<h1>exosim certify &mdash; " + esc(s.name) + "</h1><div class=\"meta\">" + esc(s.started_at) + " &middot; " +
         std::to_string(s.runs.size()) + " scenarios &middot; <span class=\"v pass\">&nbsp;" + std::to_string(s.count(Verdict::pass)) +
         " pass&nbsp;</span> <span class=\"v fail\">&nbsp;" + std::to_string(s.count(Verdict::fail)) +
         " fail&nbsp;</span> <span class=\"v error\">&nbsp;" + std::to_string(s.count(Verdict::error)) +
         " error&nbsp;</span> <span class=\"v skipped\">&nbsp;" + std::to_string(s.count(Verdict::skipped)) + " skipped&nbsp;</span> &middot; " +
         esc(seconds_text(s.duration)) + "s</div>\n";
    h += summary_table(s) + rule_matrix(s) + "<h2>Details</h2>\n";
    for (const RunResult& r : s.runs) h += scenario_card(r);
    return h + "</body></html>\n";
}

}  // namespace exosim::scenario
