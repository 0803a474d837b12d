#include "reference/base64.hpp"

#include <openssl/evp.h>

#include <vector>

namespace exosim::client {

std::string base64_encode(std::string_view bytes) {
    if (bytes.empty()) return {};
    std::vector<unsigned char> out(4 * ((bytes.size() + 2) / 3) + 1);
    int n = EVP_EncodeBlock(out.data(), reinterpret_cast<const unsigned char*>(bytes.data()),
                            static_cast<int>(bytes.size()));
    return std::string(reinterpret_cast<const char*>(out.data()), static_cast<std::size_t>(n));
}

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
