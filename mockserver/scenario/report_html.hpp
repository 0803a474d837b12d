#pragma once
// report.html: one self-contained page (inline CSS, no scripts, no external assets) that a
// vendor can mail around: a scenario x verdict matrix, a scenario x rule matrix, and per
// scenario its findings and a collapsible transcript (C:/S:, ".." = same read, TLS markers).
// Every piece of text is HTML-escaped and made valid UTF-8.
#include <string>

#include "scenario/results.hpp"

namespace exosim::scenario {

std::string report_html(const SuiteResult& suite);

}  // namespace exosim::scenario
