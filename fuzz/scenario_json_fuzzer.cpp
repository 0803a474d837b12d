// The scenario JSON decoder behind POST /api/v1/scenarios (scenario/json_io): any request body.
// Properties: the only failure is a ScenarioError (a 400 with its message), never a crash or
// another exception; a body that decodes re-encodes to a document that decodes to the same
// scenario (to_json is a fixed point after one round).
#include <cstdint>
#include <string_view>

#include <boost/json/serialize.hpp>

#include "scenario/json_io.hpp"
#include "scenario/scenario_error.hpp"

namespace {

void check(bool ok) {
    if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    using namespace exosim::scenario;
    try {
        const Scenario s = parse_scenario_json(body, "request body");
        const boost::json::value once = to_json(s);
        const boost::json::value twice = to_json(parse_scenario_json(boost::json::serialize(once), "round trip"));
        check(once == twice);
    } catch (const ScenarioError&) {
        // the API's 400
    }
    return 0;
}
