#include "scenario/report_junit.hpp"

#include "scenario/report_text.hpp"

namespace exosim::scenario {

namespace {

std::string attr(std::string_view name, std::string_view value) {
    return " " + std::string(name) + "=\"" + xml_escape(value) + "\"";
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

// "not as expected: outcome, no-plaintext-credentials": what a CI summary line can show.
std::string failure_message(const RunResult& r) {
    std::string ids;
    for (const Finding& f : r.findings)
        if (!f.as_expected) ids += (ids.empty() ? "" : ", ") + f.rule;
    return ids.empty() ? "fail" : "not as expected: " + ids;
}

std::string system_out(const RunResult& r) {
    std::string out;
    for (const Finding& f : r.findings)
        out += "[" + std::string(verdict_name(f.verdict)) + "] " + f.rule + ": " + f.message + "\n";
    if (!r.timeline.empty()) out += "\n== timeline (sign-in requests and SMTP) ==\n" + timeline_text(r.timeline) + "\n";
    for (std::size_t i = 0; i < r.transcripts.size(); ++i)
        out += "\n== connection " + std::to_string(i + 1) + " (" + r.transcripts[i].session_id + ") ==\n" +
               transcript_text(r.transcripts[i]);
    return out;
}

std::string system_err(const RunResult& r) {
    std::string out;
    for (std::size_t i = 0; i < r.client_runs.size(); ++i) {
        const ClientRun& c = r.client_runs[i];
        out += "== client run " + std::to_string(i + 1) + ", exit " +
               (c.exit_code ? std::to_string(*c.exit_code) : std::string("n/a")) + " ==\n" + c.stdout_tail + c.stderr_tail + "\n";
    }
    return out;
}

std::string testcase(const SuiteResult& s, const RunResult& r) {
    std::string x = "  <testcase" + attr("classname", "exosim." + s.name) +
                    attr("name", r.scenario_id + (r.title.empty() ? "" : ": " + r.title)) +
                    attr("file", r.source_file) + attr("time", seconds_text(r.duration)) + ">\n";
    const std::string detail = findings_text(r);
    if (r.verdict == Verdict::fail)
        x += "    <failure" + attr("message", failure_message(r)) + attr("type", "fail") + ">" + xml_escape(detail) + "</failure>\n";
    else if (r.verdict == Verdict::error)
        x += "    <error" + attr("message", r.error.empty() ? first_line(detail) : r.error) + attr("type", "error") + ">" +
             xml_escape(detail) + "</error>\n";
    else if (r.verdict == Verdict::skipped)
        x += "    <skipped" + attr("message", r.error) + "/>\n";
    x += "    <system-out>" + xml_escape(system_out(r)) + "</system-out>\n";
    if (!r.client_runs.empty()) x += "    <system-err>" + xml_escape(system_err(r)) + "</system-err>\n";
    return x + "  </testcase>\n";
}

}  // namespace

std::string junit_xml(const SuiteResult& s) {
    std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite" + attr("name", s.name) +
                    attr("tests", std::to_string(s.runs.size())) + attr("failures", std::to_string(s.count(Verdict::fail))) +
                    attr("errors", std::to_string(s.count(Verdict::error))) + attr("skipped", std::to_string(s.count(Verdict::skipped))) +
                    attr("time", seconds_text(s.duration)) + (s.started_at.empty() ? "" : attr("timestamp", s.started_at)) + ">\n";
    for (const RunResult& r : s.runs) x += testcase(s, r);
    return x + "</testsuite>\n";
}

}  // namespace exosim::scenario
