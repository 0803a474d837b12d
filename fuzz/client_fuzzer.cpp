// FZ-05: the whole client codec against scripted server events, curl-fuzzer style but without a
// socket (the codec is sans-I/O). Input, read by a tiny splitter (the replay build has no
// FuzzedDataProvider):
//   byte 0: bit0 require_tls, bits1-2 security, bits3-4 auth, bit5 pipeline quirk, bit6 auth-before-tls,
//           bit7 ignore-stripped-starttls
//   byte 1: recipients (0..255), byte 2: batch size - 1 (mod 100), byte 3: other safe quirks
//   then a length byte and the message body, then events: a type byte (0 bytes, 1 TLS up, 2 closed,
//   3 timeout) and for bytes a 2-byte length and the data.
// Properties on what the client sends: no AUTH or MAIL before TLS when require_tls; exactly one
// end-of-data per message body, at its end; the body dot-stuffed and CRLF-only; nothing but EHLO
// right after the TLS upgrade (pre-TLS bytes unused); no recipient reported delivered without a body;
// bounded output.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "reference/client_codec.hpp"

namespace {

using namespace exosim::client;

void check(bool ok) {
    if (!ok) __builtin_trap();
}

class Reader {
public:
    Reader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
    bool empty() const { return pos_ >= size_; }
    std::uint8_t u8() { return pos_ < size_ ? data_[pos_++] : 0; }
    std::string_view bytes(std::size_t n) {
        n = std::min(n, size_ - std::min(pos_, size_));
        std::string_view out(reinterpret_cast<const char*>(data_) + pos_, n);
        pos_ += n;
        return out;
    }

private:
    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t pos_ = 0;
};

// An independent oracle for the DATA payload: every line CRLF, a leading dot doubled, one terminator.
std::string expected_body(std::string_view message) {
    std::string out;
    std::string line;
    auto flush = [&] {
        if (!line.empty() && line[0] == '.') out += '.';
        out += line + "\r\n";
        line.clear();
    };
    for (std::size_t i = 0; i < message.size(); ++i) {
        if (message[i] == '\r' || message[i] == '\n') {
            if (message[i] == '\r' && i + 1 < message.size() && message[i + 1] == '\n') ++i;
            flush();
        } else {
            line += message[i];
        }
    }
    if (!line.empty()) flush();
    return out + ".\r\n";
}

ClientConfig config_from(Reader& in) {
    std::uint8_t flags = in.u8();
    ClientConfig c;
    c.require_tls = flags & 1;
    c.security = static_cast<Security>(((flags >> 1) & 3) % 3);
    c.auth = static_cast<AuthMechanism>((flags >> 3) & 3);
    c.quirks.pipeline_unadvertised = flags & 0x20;
    c.quirks.auth_before_tls = flags & 0x40;
    c.quirks.ignore_stripped_starttls = flags & 0x80;
    std::uint8_t n = in.u8();
    for (int i = 0; i < n; ++i) c.recipients.push_back("r" + std::to_string(i) + "@x.test");
    c.max_recipients_per_transaction = 1 + in.u8() % 100;
    std::uint8_t more = in.u8();
    c.quirks.no_quit = more & 1;
    c.quirks.plain_before_login = more & 2;
    c.quirks.no_ehlo_after_tls = more & 4;
    c.quirks.no_retry = more & 8;
    c.user = "u@x.test";
    c.password = "p";
    c.token = "t";
    c.helo = "fuzz.test";
    c.from = "s@x.test";
    c.message = std::string(in.bytes(in.u8()));
    return c;
}

struct Harness {
    const ClientConfig& config;
    ClientCodec codec;
    bool tls = false;
    bool tls_pending = false;
    bool just_upgraded = false;
    std::size_t sent = 0;
    int bodies = 0;
    // EXOSIM_FUZZ_TRACE=1 prints the client's actions, for triaging a crash input.
    bool trace = std::getenv("EXOSIM_FUZZ_TRACE") != nullptr;

    void take() {
        for (ClientAction& a : codec.take_actions()) {
            if (a.kind == ClientAction::Kind::start_tls) tls_pending = true;
            if (trace) std::fprintf(stderr, "C[%d]: %s\n", static_cast<int>(a.kind), a.log.c_str());
            if (a.kind != ClientAction::Kind::send) continue;
            sent += a.bytes.size();
            check(sent < 64 * 1024 * 1024);
            inspect(a);
        }
    }

    void inspect(const ClientAction& a) {
        if (config.require_tls && !tls) {
            check(a.bytes.starts_with("EHLO ") || a.bytes.starts_with("HELO ") || a.bytes == "STARTTLS\r\n" ||
                  a.bytes == "QUIT\r\n");
        }
        if (just_upgraded && !config.quirks.no_ehlo_after_tls) check(a.bytes == "EHLO fuzz.test\r\n");
        just_upgraded = false;
        if (a.log.starts_with("<message")) {
            check(a.bytes == expected_body(config.message));
            ++bodies;
        }
        else if (a.log != ".") check(a.bytes.find("\r\n.\r\n") == std::string::npos);
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Reader in(data, size);
    ClientConfig config = config_from(in);
    Harness h{config, ClientCodec(config)};
    h.tls = config.security == Security::implicit;
    h.codec.on_connected(h.tls);
    h.take();
    for (int events = 0; !in.empty() && !h.codec.finished() && events < 4096; ++events) {
        switch (in.u8() % 4) {
        case 0: {
            std::size_t n = in.u8() | (in.u8() << 8);
            h.codec.on_bytes(in.bytes(n));
            break;
        }
        case 1:
            if (h.tls_pending) {
                h.tls = true;
                h.tls_pending = false;
                h.just_upgraded = true;
            }
            h.codec.on_tls_established();
            break;
        case 2: h.codec.on_closed(); break;
        default: h.codec.on_timeout(); break;
        }
        h.take();
        check(h.codec.tls_active() == h.tls);
    }
    // Nobody is reported delivered unless a message body went out.
    check(h.codec.outcome().accepted.empty() || h.bodies > 0);
    return 0;
}
