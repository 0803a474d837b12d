#include "lab/dns_tcp_framer.hpp"

namespace exosim::lab::dns {

void TcpFramer::feed(std::string_view bytes) {
    if (!bad_) buffer_.append(bytes);
}

std::optional<std::string> TcpFramer::next() {
    if (bad_ || buffer_.size() < 2) return std::nullopt;
    std::size_t length = (static_cast<unsigned char>(buffer_[0]) << 8) | static_cast<unsigned char>(buffer_[1]);
    if (length == 0) {
        bad_ = true;
        buffer_.clear();
        return std::nullopt;
    }
    if (buffer_.size() < 2 + length) return std::nullopt;
    std::string message = buffer_.substr(2, length);
    buffer_.erase(0, 2 + length);
    return message;
}

std::string TcpFramer::frame(std::string_view message) {
    std::string out;
    out.push_back(static_cast<char>((message.size() >> 8) & 0xFF));
    out.push_back(static_cast<char>(message.size() & 0xFF));
    out.append(message);
    return out;
}

}  // namespace exosim::lab::dns
