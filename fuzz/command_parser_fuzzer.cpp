// FZ-01: one command line. Properties: no crash or over-read (ASan); a successful parse round-trips
// through format_command; raw is the input.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/command_parser.hpp"

using namespace exosim::core;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view line(reinterpret_cast<const char*>(data), size);
    const CommandParse p = parse_command(line);
    if (p.command.raw != line) std::abort();
    if (p.error != CommandError::none) return 0;
    const std::string text = format_command(p.command);
    const CommandParse again = parse_command(text);
    if (again.error != CommandError::none) std::abort();
    if (again.command.verb != p.command.verb || format_command(again.command) != text) std::abort();
    if (again.command.path != p.command.path || again.command.params != p.command.params) std::abort();
    if (again.command.mail != p.command.mail || again.command.rcpt != p.command.rcpt) std::abort();
    return 0;
}
