// lab/client_hello: any bytes as a handshake message. Properties: no crash; a parsed hello's
// fingerprint texts are built without reading past the input; its extension list holds every
// type whose data was recorded.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "lab/client_hello.hpp"

using namespace exosim::lab;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    auto hello = parse_client_hello(in);
    if (!hello) return 0;
    (void)ja3_text(*hello);
    (void)ja4_parts(*hello);
    (void)version_name(highest_version(*hello));
    auto has = [&](std::uint16_t t) { return std::find(hello->extensions.begin(), hello->extensions.end(), t) != hello->extensions.end(); };
    if (!hello->sni.empty() && !has(0)) std::abort();
    if (!hello->alpn.empty() && !has(16)) std::abort();
    return 0;
}
