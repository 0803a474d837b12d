#include "reference/base64.hpp"

namespace exosim::client {

std::string base64_encode_lines(std::string_view bytes, std::size_t line_length) {
    // Encode whole groups of 3 input bytes per line so lines can be produced independently.
    const std::size_t chunk = line_length / 4 * 3;
    std::string out;
    out.reserve(bytes.size() * 4 / 3 + bytes.size() / chunk * 2 + 4);
    for (std::size_t pos = 0; pos < bytes.size(); pos += chunk) {
        out += base64_encode(bytes.substr(pos, chunk));
        out += "\r\n";
    }
    return out;
}

}  // namespace exosim::client
