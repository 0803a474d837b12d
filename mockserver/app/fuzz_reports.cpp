// fuzz-client reports: JSON lines per case, JUnit (one testcase per case, failures carry the
// signature), and an HTML summary (findings with transcripts, stage x class coverage, cases/s).
#include <iomanip>
#include <map>
#include <sstream>

#include <boost/json.hpp>

#include "app/fuzz_campaign.hpp"
#include "fuzz/anomaly.hpp"
#include "fuzz/case_text.hpp"
#include "scenario/report_text.hpp"

namespace exosim::app {

namespace json = boost::json;
using scenario::html_escape;
using scenario::xml_escape;

namespace {

std::string pair_name(const fuzz::Anomaly& a) {
    return std::string(fuzz::stage_name(a.stage)) + "/" + fuzz::anomaly_classes()[a.cls].name;
}

std::string pairs(const fuzz::FuzzCase& c) {
    std::string out;
    for (const auto& a : c.anomalies) out += (out.empty() ? "" : ",") + pair_name(a);
    return out;
}

double per_second(std::size_t n, std::chrono::milliseconds d) {
    return d.count() > 0 ? static_cast<double>(n) * 1000.0 / static_cast<double>(d.count()) : 0.0;
}

std::string seconds(std::chrono::milliseconds d) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(3) << static_cast<double>(d.count()) / 1000.0;
    return s.str();
}

void coverage_table(std::ostringstream& h, const std::vector<CaseRecord>& cases) {
    std::map<std::pair<std::size_t, fuzz::Stage>, std::pair<std::size_t, std::size_t>> cells;  // runs, faults
    for (const CaseRecord& r : cases) {
        for (const auto& a : r.fuzz_case.anomalies) {
            auto& cell = cells[{a.cls, a.stage}];
            ++cell.first;
            cell.second += r.fault ? 1 : 0;
        }
    }
    h << "<h2>Coverage (cases run / faults, stage x class)</h2><table><tr><th>class</th>";
    for (fuzz::Stage s : fuzz::all_stages()) h << "<th>" << fuzz::stage_name(s) << "</th>";
    h << "</tr>\n";
    const auto classes = fuzz::anomaly_classes();
    for (std::size_t c = 0; c < classes.size(); ++c) {
        h << "<tr><td title=\"" << html_escape(classes[c].doc) << "\">" << html_escape(classes[c].name) << "</td>";
        for (fuzz::Stage s : fuzz::all_stages()) {
            if (!classes[c].applies(s)) {
                h << "<td class=na>-</td>";
                continue;
            }
            auto it = cells.find({c, s});
            if (it == cells.end()) h << "<td></td>";
            else h << "<td class=" << (it->second.second ? "bad" : "ok") << ">" << it->second.first << "/" << it->second.second << "</td>";
        }
        h << "</tr>\n";
    }
    h << "</table>\n";
}

}  // namespace

std::string case_json_line(const CaseRecord& r) {
    json::array anomalies;
    for (const auto& a : r.fuzz_case.anomalies)
        anomalies.emplace_back(json::object{{"stage", fuzz::stage_name(a.stage)}, {"class", fuzz::anomaly_classes()[a.cls].name}});
    const auto& o = r.run.observation;
    json::object line{{"id", r.id}, {"scenario", r.scenario_id}, {"anomalies", std::move(anomalies)},
                      {"duration_ms", r.run.duration.count()}, {"connections", r.run.connections},
                      {"exit_code", o.exit_code ? json::value(*o.exit_code) : json::value(nullptr)},
                      {"signal", o.signal ? json::value(*o.signal) : json::value(nullptr)},
                      {"timed_out", o.timed_out}, {"peak_rss_kb", o.peak_rss_kb}, {"signature", r.signature}};
    if (r.fault) {
        json::array frames(r.fault->frames.begin(), r.fault->frames.end());
        line["fault"] = json::object{{"oracle", r.fault->oracle}, {"detail", r.fault->detail}, {"frames", std::move(frames)}};
    } else {
        line["fault"] = nullptr;
    }
    if (!r.run.error.empty()) line["error"] = r.run.error;
    return json::serialize(line) + "\n";
}

std::string fuzz_junit(const std::vector<CaseRecord>& cases, const CampaignSummary& s) {
    std::size_t failures = 0, errors = 0;
    for (const auto& r : cases) failures += r.fault ? 1 : 0, errors += r.run.error.empty() ? 0 : 1;
    std::ostringstream x;
    x << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"exosim fuzz-client seed " << s.seed << "\" tests=\""
      << cases.size() << "\" failures=\"" << failures << "\" errors=\"" << errors << "\" time=\"" << seconds(s.duration) << "\">\n";
    for (const CaseRecord& r : cases) {
        const std::string stage = r.fuzz_case.anomalies.empty() ? "none" : std::string(fuzz::stage_name(r.fuzz_case.anomalies[0].stage));
        x << "  <testcase classname=\"fuzz-client." << xml_escape(stage) << "\" name=\"" << xml_escape(r.id + " " + pairs(r.fuzz_case))
          << "\" time=\"" << seconds(r.run.duration) << "\">";
        if (r.fault) {
            x << "<failure message=\"" << xml_escape(r.signature) << "\" type=\"" << xml_escape(r.fault->oracle) << "\">"
              << xml_escape(fuzz::escaped(r.run.observation.stderr_tail, 2000)) << "</failure>";
        } else if (!r.run.error.empty()) {
            x << "<error message=\"" << xml_escape(r.run.error) << "\"/>";
        }
        x << "</testcase>\n";
    }
    x << "</testsuite>\n";
    return x.str();
}

std::string fuzz_html(const std::vector<CaseRecord>& cases, const std::vector<FindingRecord>& findings, const CampaignSummary& s) {
    std::ostringstream h;
    h << "<!doctype html><meta charset=utf-8><title>exosim fuzz-client</title><style>body{font:14px sans-serif}"
         "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 4px;font-size:12px}.bad{background:#f88}"
         ".ok{background:#cfc}.na{color:#bbb}pre{background:#f4f4f4;padding:6px;overflow:auto;max-height:30em}</style>\n";
    h << "<h1>exosim fuzz-client</h1><p>exosim " << html_escape(s.version) << ", model " << std::hex << std::setw(16)
      << std::setfill('0') << s.model_hash << std::dec << ", seed " << s.seed << ", mode " << html_escape(s.mode) << ", endpoint "
      << html_escape(s.endpoint) << "</p><p>" << cases.size() << " cases in " << seconds(s.duration) << " s ("
      << std::fixed << std::setprecision(2) << per_second(cases.size(), s.duration) << " cases/s), " << findings.size()
      << " distinct finding" << (findings.size() == 1 ? "" : "s") << "</p>\n<h2>Findings</h2>\n";
    for (const FindingRecord& f : findings) {
        h << "<h3>" << html_escape(f.signature) << "</h3><p>" << f.hits << " case(s); first " << html_escape(f.first.id)
          << "; reproducer <code>" << html_escape(f.dir.filename().string()) << "/reproducer.yaml</code>"
          << (f.reproduced ? " (reproduced, minimised in " + std::to_string(f.minimise_runs) + " runs)" : "") << "</p>"
          << "<pre>" << html_escape(fuzz::escaped(f.first.run.observation.stderr_tail, 4000)) << "</pre><pre>"
          << html_escape(f.first.run.transcript.substr(0, 20000)) << "</pre>\n";
    }
    coverage_table(h, cases);
    return h.str();
}

}  // namespace exosim::app
