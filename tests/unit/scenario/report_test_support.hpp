#pragma once
// A small SuiteResult with one scenario per verdict and hostile text in every field, shared by
// the report tests.
#include "scenario/results.hpp"
#include "verdict_trace_builder.hpp"

namespace exosim::scenario::test {

inline SuiteResult sample_suite() {
    SuiteResult suite;
    suite.name = "printer-certification";
    suite.started_at = "2025-01-06T10:00:00Z";
    suite.duration = std::chrono::milliseconds(1234);

    Scenario good = scenario();
    good.id = "cc-07-auth-before-tls";
    good.title = "AUTH offered before TLS <script>alert(1)</script>";
    good.tags = {"CC-07", "printer-certification"};
    const Trace good_trace = TraceBuilder().good();
    suite.runs.push_back(make_run_result(good, good_trace, judge(good, good_trace)));

    Scenario bad = scenario();
    bad.id = "cc-01-stripped";
    bad.title = "STARTTLS stripped & \"quoted\"";
    const Trace bad_trace = TraceBuilder().S("220 mock <b>\r\n").C("EHLO c\r\n").S("250-mock\r\n250 AUTH PLAIN LOGIN\r\n")
                                .C("AUTH PLAIN AHVAYwBzZWNyZXRwdw==\r\n").S("235 ok\r\n").C("MAIL FROM:<a@b>\r\n").S("250 ok\r\n").quit();
    RunResult r = make_run_result(bad, bad_trace, judge(bad, bad_trace));
    r.client_runs.push_back({1, "sent\xff\xfe ok </system-out>]]>", "warning: \x01 <script>", std::chrono::milliseconds(80)});
    suite.runs.push_back(std::move(r));

    Scenario broken = scenario();
    broken.id = "cc-22-timeouts";
    suite.runs.push_back(harness_error(broken, "client command not found: ./printer-sim <x>"));
    return suite;
}

}  // namespace exosim::scenario::test
