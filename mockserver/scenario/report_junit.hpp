#pragma once
// junit.xml for CI: one <testsuite>, one <testcase> per scenario. fail -> <failure> with the
// findings that broke expectations, error -> <error>, skipped -> <skipped>; transcripts go to
// <system-out>, client output to <system-err>.
#include <string>

#include "scenario/results.hpp"

namespace exosim::scenario {

std::string junit_xml(const SuiteResult& suite);

}  // namespace exosim::scenario
