#pragma once
// --trigger-url: one HTTP request that makes a device send (a printer's "scan to e-mail" hook).
#include <chrono>
#include <string>

namespace exosim::harness {

// GET or POST `url` (plain http:// only). Returns the status code; throws std::runtime_error with
// the reason when the URL is unusable or the request fails.
int http_trigger(const std::string& url, const std::string& method, std::chrono::milliseconds timeout);

}  // namespace exosim::harness
