#pragma once
// RFC 1035 4.2.2 / RFC 7766 8: over TCP every message is preceded by a two-octet length. The
// framer takes bytes as they arrive (any split) and hands out whole messages. Sans-I/O.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace exosim::lab::dns {

class TcpFramer {
public:
    // Appends bytes; a zero length prefix is an error (no DNS message is empty): bad() then
    // stays true and the connection should close.
    void feed(std::string_view bytes);
    // The next complete message, if one is buffered.
    std::optional<std::string> next();
    bool bad() const { return bad_; }
    std::size_t buffered() const { return buffer_.size(); }

    // Length-prefixed form of `message` (which must be at most 65535 octets).
    static std::string frame(std::string_view message);

private:
    std::string buffer_;
    bool bad_ = false;
};

}  // namespace exosim::lab::dns
