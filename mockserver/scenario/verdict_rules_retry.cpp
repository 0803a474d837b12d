// Retries and timeouts: how the client behaves across attempts and while it waits.
#include <algorithm>
#include <tuple>

#include "scenario/verdict_rules.hpp"

namespace exosim::scenario::rules {

namespace {

using namespace std::chrono_literals;

struct LastStep {
    WirePos pos;
    int order = 0;                       // a body sorts after its DATA line
    const ServerReply* reply = nullptr;
    std::string what;
    Millis sent{0};
};

// RFC 2920 3.1 / RFC 5321 4.1.4: a pipelining client sends MAIL, RCPT and DATA together, so when
// MAIL or every RCPT fails, the 503 that follows only echoes that failure ("bad sequence"); the
// earlier reply decides whether the failure is temporary or permanent.
bool echoes_failure(const ClientLine& l, int code, bool mail_failed, bool no_rcpt_ok) {
    if (code != 503) return false;
    if (l.verb == core::Verb::rcpt) return mail_failed;
    return (l.verb == core::Verb::data || l.verb == core::Verb::bdat) && (mail_failed || no_rcpt_ok);
}

// The last request that mattered: greeting, a transaction command, or end of data.
LastStep last_step(const ClientView& v) {
    LastStep last{{}, -1, nullptr, "greeting", Millis{0}};
    auto consider = [&](WirePos pos, int order, const ServerReply* r, std::string what, Millis sent) {
        if (std::tie(pos, order) >= std::tie(last.pos, last.order)) last = {pos, order, r, std::move(what), sent};
    };
    for (const ServerReply& r : v.replies)
        if (r.greeting) consider(r.pos, 0, &r, "greeting", Millis{0});
    bool mail_failed = false;
    std::size_t rcpts = 0, rcpts_ok = 0;
    for (const ClientLine& l : v.lines) {
        if (l.kind != ClientLine::Kind::command || l.discarded) continue;
        if (l.verb == core::Verb::quit || l.verb == core::Verb::rset || l.verb == core::Verb::noop) continue;
        const int code = l.reply ? v.replies[*l.reply].code : 0;
        if (l.verb == core::Verb::mail) {
            mail_failed = code >= 400;
            rcpts = rcpts_ok = 0;
        }
        if (echoes_failure(l, code, mail_failed, rcpts > 0 && rcpts_ok == 0)) continue;
        if (l.verb == core::Verb::rcpt) {
            ++rcpts;
            rcpts_ok += code / 100 == 2;
        }
        consider(l.pos, 0, l.reply ? &v.replies[*l.reply] : nullptr, l.word, l.t);
    }
    for (const Body& b : v.bodies)
        if (b.terminated)
            consider(v.lines[b.command].pos, 1, b.reply ? &v.replies[*b.reply] : nullptr, "end of data", b.segments.back().t);
    return last;
}

// RFC 5321 4.5.3.2: how long a client should wait for each reply.
Millis rfc_wait(std::string_view what) {
    if (what == "DATA") return 2min;          // 4.5.3.2.3 DATA initiation
    if (what == "end of data") return 10min;  // 4.5.3.2.6 DATA termination
    return 5min;                              // 4.5.3.2.1/2 greeting, MAIL, RCPT; used for the rest
}

std::string minutes(Millis t) { return seconds(t) + " (" + std::to_string(t.count() / 60000) + " min)"; }

}  // namespace

ConnectionEnd connection_end(const ClientView& v) {
    ConnectionEnd end;
    auto close = std::find_if(v.markers.begin(), v.markers.end(), [](const Marker& m) {
        return m.kind == TraceEntry::Kind::server_closed || m.kind == TraceEntry::Kind::client_closed;
    });
    if (close != v.markers.end()) end.close = &*close;
    const LastStep last = last_step(v);
    if (!last.reply && v.plaintext_tls) {
        // The client is waiting for a ServerHello a plaintext server never sends: whoever closes,
        // the TLS handshake failed and no SMTP request was ever made (CC-10).
        end.pending = "TLS handshake";
        end.pending_since = v.plaintext_tls->t;
        end.outcome = Outcome::aborted;
        return end;
    }
    if (!last.reply) {
        end.pending = last.what;
        end.pending_since = last.sent;
        const bool server_first = end.close && end.close->kind == TraceEntry::Kind::server_closed;
        end.outcome = server_first ? Outcome::deferred : Outcome::aborted;
        return end;
    }
    end.reply = last.reply;
    const int k = last.reply->code / 100;
    end.outcome = k == 5 ? Outcome::rejected : k == 4 ? Outcome::deferred : Outcome::aborted;
    return end;
}

// RFC 5321 4.5.4.1: retry a temporary failure, at intervals, a bounded number of times. The
// gap between attempts (end of one to start of the next) must be > 0 and must not shrink.
Finding retries_after_4xx_bounded(const Context& c) {
    constexpr std::string_view id = "retries-after-4xx-bounded";
    std::vector<std::string> quotes;
    std::size_t deferred = 0;
    for (std::size_t i = 0; i < c.views.size(); ++i) {
        const ConnectionEnd end = connection_end(c.views[i]);
        if (end.outcome != Outcome::deferred) continue;
        ++deferred;
        if (end.reply) add_quote(quotes, quote(c, i, *end.reply));
        else if (end.close) add_quote(quotes, quote(c, i, *end.close));
    }
    if (deferred == 0) return skipped(id, "no temporary failure");
    const std::size_t n = c.views.size();
    const Expectation& e = c.scenario.expect;
    if (n > e.max_attempts)
        return fail(id, std::to_string(n) + " attempts, at most " + std::to_string(e.max_attempts) + " allowed", std::move(quotes));
    if (e.min_attempts && n < *e.min_attempts && c.outcome != Outcome::delivered)
        return fail(id, "did not retry: " + std::to_string(n) + " attempt(s), expected at least " + std::to_string(*e.min_attempts),
                    std::move(quotes));
    const auto& starts = c.options.connection_starts;
    if (starts.size() != n || n < 2) return pass(id, std::to_string(n) + " attempt(s); backoff not measured", std::move(quotes));
    std::string gaps;
    Millis previous{0};
    for (std::size_t i = 0; i + 1 < n; ++i) {
        const Millis gap = starts[i + 1] - (starts[i] + c.views[i].end);
        gaps += (gaps.empty() ? "" : ", ") + seconds(gap);
        if (gap <= Millis{0} || gap < previous)
            return fail(id, "backoff before attempt " + std::to_string(i + 2) + " was " + seconds(gap) +
                                (gap <= Millis{0} ? "" : ", shorter than the one before (" + seconds(previous) + ")"),
                        std::move(quotes));
        previous = gap;
    }
    return pass(id, std::to_string(n) + " attempts, backoff " + gaps, std::move(quotes));
}

// CC-22: informational. A client that gives up on a reply sooner than RFC 5321 4.5.3.2 says
// risks duplicates (end of data) or spurious failures; it is reported, not failed.
Finding timeouts(const Context& c) {
    constexpr std::string_view id = "timeouts";
    std::vector<std::string> quotes, notes;
    bool short_wait = false;
    for (std::size_t i = 0; i < c.views.size(); ++i) {
        const ClientView& v = c.views[i];
        for (const Marker& m : v.markers)
            if (m.kind == TraceEntry::Kind::timeout) {
                notes.push_back("the client was still waiting when the server's timeout fired");
                add_quote(quotes, quote(c, i, m));
            }
        const ConnectionEnd end = connection_end(v);
        if (end.reply || !end.close || end.close->kind != TraceEntry::Kind::client_closed) continue;
        // Gave up: the wait ends at the QUIT sent while waiting, or at the close.
        Millis gave_up = end.close->t;
        for (const ClientLine& l : v.lines)
            if (l.verb == core::Verb::quit && l.t >= end.pending_since) { gave_up = l.t; break; }
        const Millis waited = gave_up - end.pending_since, rfc = rfc_wait(end.pending);
        short_wait = short_wait || waited < rfc;
        notes.push_back("waited " + seconds(waited) + " for the reply to " + end.pending + " (RFC 5321 4.5.3.2: " + minutes(rfc) + ")");
        add_quote(quotes, quote(c, i, *end.close));
    }
    if (notes.empty()) return skipped(id, "the client never gave up waiting");
    std::string message;
    for (const std::string& n : notes) message += (message.empty() ? "" : "; ") + n;
    Finding f = pass(id, std::move(message), std::move(quotes));
    if (short_wait) f.severity = Severity::warning;
    return f;
}

}  // namespace exosim::scenario::rules
