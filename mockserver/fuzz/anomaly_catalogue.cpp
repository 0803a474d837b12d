// The anomaly classes, group by group (client-fuzzing.md §2 names the bug behind each group).
#include <algorithm>
#include <array>

#include "fuzz/anomaly.hpp"
#include "fuzz/anomaly_bytes.hpp"

namespace exosim::fuzz {

namespace {

using scenario::Action;
using Classes = std::vector<AnomalyClass>;
using namespace bytes;
using namespace std::string_literals;

bool everywhere(Stage) { return true; }

void add(Classes& c, std::string name, std::string group, std::string doc, std::function<Action(Stage)> make,
         std::function<bool(Stage)> applies = everywhere) {
    c.push_back({std::move(name), std::move(group), std::move(doc), std::move(applies), std::move(make)});
}

// Every RFC 5321/4954 code at every stage, wrong class for the state included (Defensics §1). A
// `reply`, so the server acts on it as well (421 closes, 4xx/5xx refuse, STARTTLS only starts on
// 220); raw where the vocabulary forbids the reply (421 to QUIT, a 334 to AUTH).
void reply_codes(Classes& c) {
    for (int code : rfc_reply_codes()) {
        const std::string text = code_text(code) + " exosim fuzz reply";
        add(c, "code-" + code_text(code), "reply-code", "the reply " + text + " at the stage (EAST per-code cases)",
            [code, text](Stage s) {
                const bool forbidden = (s == Stage::quit && code == 421) || (s == Stage::auth && code / 100 == 3);
                return forbidden ? raw(text + "\r\n") : reply(text);
            });
    }
}

// OpenSMTPD CVE-2020-8794 (mta_io): continuation lines without bound, no final line, EOF after `250-`.
void multiline(Classes& c) {
    for (std::size_t n : {1u, 100u, 10'000u, 100'000u}) {
        add(c, "ml-cont-" + std::to_string(n), "multiline", std::to_string(n) + " continuation lines before the final line",
            [n](Stage s) { return raw(with_continuations(s, n, true)); });
    }
    add(c, "ml-no-final", "multiline", "every line a continuation, no final line; then silence",
        [](Stage s) { return raw(with_continuations(s, 0, false)); });
    add(c, "ml-endless", "multiline", "100,000 continuation lines and no final line (an endless reply, CC-14)",
        [](Stage s) { return raw(with_continuations(s, 100'000, false)); });
    add(c, "ml-eof-after-dash", "multiline", "`CODE-` and the connection closes (EOF after 250-)", [](Stage s) {
        Action a = raw(code_text(valid_code(s)) + "-\r\n");
        a.effect = scenario::effect::Close{};
        return a;
    });
    add(c, "ml-code-change", "multiline", "the code changes mid-reply (RFC 5321 4.2.1 requires one code)", [](Stage s) {
        const int other = valid_code(s) / 100 == 5 ? 250 : 554;
        return raw(code_text(valid_code(s)) + "-first\r\n" + code_text(other) + "-changed\r\n" + code_text(valid_code(s)) + " last\r\n");
    });
    add(c, "ml-final-first", "multiline", "a final line, then continuation lines of the same reply (`-`/space confusion)",
        [](Stage s) {
            const std::string code = code_text(valid_code(s));
            return raw(code + " first\r\n" + code + "-then\r\n" + code + " last\r\n");
        });
}

// curl CVE-2018-1000300; CPython CVE-2013-1752 (_MAXLINE 8192); RFC 5321 4.5.3.1.5 (512).
void lengths(Classes& c) {
    for (std::size_t n : {512u, 1000u, 1024u, 4096u, 8192u, 16384u, 65536u, 1048576u}) {
        add(c, "len-" + std::to_string(n), "length", "the first reply line is exactly " + std::to_string(n) + " octets with CRLF",
            [n](Stage s) { return raw(long_first_line(s, n)); });
    }
}

// curl CVE-2019-3823 (strtol over-read on a short reply), oss-fuzz 16918 (3-byte EHLO reply).
void short_replies(Classes& c) {
    auto code = [](Stage s) { return code_text(valid_code(s)); };
    add(c, "short-code-only", "short", "the bare code and CRLF: `250`", [=](Stage s) { return raw(code(s) + "\r\n"); });
    add(c, "short-two-digits", "short", "two digits and CRLF: `25`", [=](Stage s) { return raw(code(s).substr(0, 2) + "\r\n"); });
    add(c, "short-five-octets", "short", "5 octets and no terminator: `250 O`", [=](Stage s) { return raw(code(s) + " O"); });
    add(c, "short-no-terminator", "short", "the valid first line without its CRLF",
        [](Stage s) { return raw(code_text(valid_code(s)) + " " + valid_lines(s).back()); });
    add(c, "short-empty-line", "short", "an empty line (CRLF only)", [](Stage) { return raw("\r\n"); });
    add(c, "short-dash-only", "short", "`250-` and CRLF, then silence", [=](Stage s) { return raw(code(s) + "-\r\n"); });
}

// EAST B_1 and ESP-Mail-Client #323: line ends and octets a parser may not expect.
void odd_bytes(Classes& c) {
    add(c, "bare-lf", "bytes", "the valid reply with bare LF line ends (CC-13)", [](Stage s) { return raw(with_eol(s, "\n")); });
    add(c, "bare-cr", "bytes", "the valid reply with bare CR line ends", [](Stage s) { return raw(with_eol(s, "\r")); });
    add(c, "nul-in-text", "bytes", "NUL octets inside the reply text",
        [](Stage s) { return raw(code_text(valid_code(s)) + " a\0b\0\0c\r\n"s); });
    add(c, "eight-bit", "bytes", "Latin-1 octets in the text", [](Stage s) { return raw(code_text(valid_code(s)) + " d\xe9j\xe0 vu\r\n"); });
    add(c, "invalid-utf8", "bytes", "invalid UTF-8 (overlong, lone continuation, 0xFF)",
        [](Stage s) { return raw(code_text(valid_code(s)) + " \xff\xfe\xc0\xaf\x80\xed\xa0\x80\r\n"); });
    add(c, "extra-crlf", "bytes", "the valid reply followed by an empty line", [](Stage s) {
        return raw(render_lines(valid_code(s), valid_lines(s)) + "\r\n");
    });
}

// EAST per-code cases; curl's strtol over-read.
void code_range(Classes& c) {
    for (std::string_view code : {"099", "600", "2500", "25a"}) {
        add(c, "range-" + std::string(code), "code-range", "the code `" + std::string(code) + "` (outside 200..599 or not 3 digits)",
            [code](Stage) { return raw(std::string(code) + " exosim fuzz reply\r\n"); });
    }
}

// Postfix CVE-2026-43964 (dsn_util over-read on a bare enhanced code).
void enhanced(Classes& c) {
    auto code = [](Stage s) { return code_text(valid_code(s)); };
    auto cls = [](Stage s) { return std::to_string(valid_code(s) / 100); };
    add(c, "enh-bare", "enhanced", "an enhanced code and no text: `250 2.7.2`", [=](Stage s) { return raw(code(s) + " " + cls(s) + ".7.2\r\n"); });
    add(c, "enh-huge", "enhanced", "an enhanced code with 20-digit parts", [=](Stage s) {
        return raw(code(s) + " " + cls(s) + ".99999999999999999999.99999999999999999999 huge\r\n");
    });
    add(c, "enh-class-mismatch", "enhanced", "the enhanced code's class differs from the reply's", [=](Stage s) {
        return raw(code(s) + (valid_code(s) / 100 == 5 ? " 2.0.0" : " 5.7.1") + " mismatch\r\n");
    });
    add(c, "enh-truncated", "enhanced", "a truncated enhanced code: `250 2.`", [=](Stage s) { return raw(code(s) + " " + cls(s) + ".\r\n"); });
}

}  // namespace

void ehlo_classes(std::vector<AnomalyClass>& c);
void auth_starttls_classes(std::vector<AnomalyClass>& c);
void timing_connection_classes(std::vector<AnomalyClass>& c);

std::span<const AnomalyClass> anomaly_classes() {
    static const Classes all = [] {
        Classes c;
        reply_codes(c);
        multiline(c);
        lengths(c);
        short_replies(c);
        odd_bytes(c);
        code_range(c);
        enhanced(c);
        ehlo_classes(c);
        auth_starttls_classes(c);
        timing_connection_classes(c);
        return c;
    }();
    return all;
}

std::optional<std::size_t> anomaly_index(std::string_view name) {
    const auto all = anomaly_classes();
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (all[i].name == name) return i;
    }
    return std::nullopt;
}

std::span<const int> rfc_reply_codes() {
    static constexpr std::array codes{211, 214, 220, 221, 250, 251, 252, 354, 421, 450, 451, 452, 455, 500, 501, 502, 503,
                                      504, 550, 551, 552, 553, 554, 555, 235, 334, 432, 454, 530, 534, 535, 538};
    return codes;
}

}  // namespace exosim::fuzz
