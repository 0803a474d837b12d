// FZ-02: the server session. The first octet picks the mode and the settings, the next octets the
// chunk sizes; the transport is tests/unit/support/engine_driver.hpp (store always succeeds;
// STARTTLS completes when the fuzzer says so). Properties:
//  - after StartTls, nothing is executed until tls_established: no CommandReceived, no reply;
//  - DATA mode (fixed envelope, fuzzed body): the first message exists iff the reference splitter
//    finds the end marker, and, for a strict-CRLF body, its content is the reference unstuffing;
//  - every StoreMessage is answered and the engine never emits actions after Close.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/data_reader.hpp"
#include "core/engine.hpp"
#include "fuzz_input.hpp"
#include "policy/rfc_policy.hpp"
#include "support/engine_driver.hpp"

using namespace exosim;

namespace {

// The shared test transport; StartTls stays pending until the fuzzer finishes the handshake.
struct Driver {
    explicit Driver(policy::RfcPolicyConfig cfg) : policy(std::move(cfg)), engine(policy, {}), wire(engine, manual()) {}

    static test::DriverOptions manual() {
        test::DriverOptions o;
        o.tls.reset();
        o.store_id = [](std::size_t) { return std::string("id"); };
        return o;
    }

    void run_actions(bool tls_now) {
        wire.drain();
        if (tls_now) wire.establish_tls(core::TlsInfo{core::TlsVersion::tls1_3, "x", {}, false});
        // A command after TlsRequested came from the discarded bytes; nothing may follow Close.
        if (wire.commands_during_upgrade != 0 || wire.actions_after_close != 0) std::abort();
    }

    const std::vector<core::StoreMessage>& messages() const { return wire.stored; }

    policy::RfcPolicy policy;
    core::Engine engine;
    test::EngineDriver wire;
};

policy::RfcPolicyConfig config(std::uint8_t mode) {
    policy::RfcPolicyConfig cfg;
    cfg.hostname = "fuzz.test";
    cfg.accounts = {{"user", "pass"}};
    cfg.size_limit = 4096;
    cfg.require_tls_for_auth = (mode & 4) != 0;
    cfg.engine.bare_line_endings = (mode & 2) ? core::BareLineEnding::normalize : core::BareLineEnding::reject;
    cfg.engine.max_recipients = 8;
    return cfg;
}

bool strict_crlf(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) return false;
        if (s[i] == '\r' && (i + 1 >= s.size() || s[i + 1] != '\n')) return false;
    }
    return true;
}

void check_data_mode(const Driver& d, std::string_view body) {
    const std::size_t end = core::reference_end_of_data(body);
    if (end == std::string_view::npos) {
        if (!d.messages().empty()) std::abort();
        return;
    }
    const std::string_view content = body.substr(0, end == 3 ? 0 : end - 3);
    if (content.size() > 4000 || !strict_crlf(content)) return;  // size and bare-ending paths vary
    if (d.messages().empty() || d.messages().front().content != core::reference_unstuff(content)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    exosim::fuzz::FuzzInput ctl(data, size);
    const std::uint8_t mode = ctl.byte();
    exosim::fuzz::Chunked split = exosim::fuzz::chunked(ctl);
    exosim::fuzz::FuzzInput& chunks = split.sizes;
    const std::string_view payload = split.payload;
    Driver d(config(mode));
    d.engine.start();
    d.run_actions(true);
    const bool data_mode = (mode & 1) != 0;
    if (data_mode) {
        d.engine.feed("EHLO f\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n");
        d.run_actions(true);
    }
    exosim::fuzz::for_each_chunk(payload, chunks, [&](std::string_view c) {
        d.engine.feed(c);
        // The fuzzer decides whether the handshake finishes before the next chunk.
        d.run_actions((chunks.byte() & 1) != 0 || chunks.empty());
    });
    d.run_actions(true);
    if (data_mode) check_data_mode(d, payload);
    d.engine.eof();
    return 0;
}
