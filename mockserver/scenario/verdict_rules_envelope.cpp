// Envelope, pipelining and reply handling: whether the client waits when it must and stops when
// the server says no.
#include <algorithm>

#include "scenario/verdict_rules.hpp"

namespace exosim::scenario::rules {

namespace {

bool group_end(core::Verb verb) {
    // RFC 2920 3.1: these may only appear last in a pipelined group.
    using core::Verb;
    return verb == Verb::ehlo || verb == Verb::helo || verb == Verb::starttls || verb == Verb::auth || verb == Verb::data;
}

int reply_class(const ClientView& v, const std::optional<std::size_t>& r) {
    return r ? v.replies[*r].code / 100 : 0;
}

// The earliest command still waiting for its reply when line k was sent, preferring one that
// must end a group; nullptr when none.
const ClientLine* waiting_at(const ClientView& v, std::size_t k) {
    const ClientLine* found = nullptr;
    for (std::size_t j = 0; j < k; ++j) {
        const ClientLine& p = v.lines[j];
        if (p.kind != ClientLine::Kind::command || p.discarded || p.verb == core::Verb::quit) continue;
        const bool waiting = !p.reply || v.lines[k].pos < v.replies[*p.reply].pos;
        if (!waiting) continue;
        if (group_end(p.verb)) return &p;
        if (!found) found = &p;
    }
    return found;
}

// Per-connection walk for stops-after-5xx. Each failure is remembered with where its reply sat
// on the wire: RFC 2920 3.1 lets a client send a whole batch and read the replies afterwards, so
// only a command sent after the failing reply arrived ignored it.
struct FiveState {
    std::optional<WirePos> greeting_5xx;
    std::optional<WirePos> mail_failed;
    std::size_t rcpts = 0, rcpts_ok = 0;
    WirePos last_rcpt_reply;             // when the client could know every RCPT's fate
    bool rcpts_answered = true;
};

bool after(const std::optional<WirePos>& reply, const ClientLine& l) { return reply && *reply < l.pos; }

}  // namespace

Finding no_pregreet(const Context& c) {
    constexpr std::string_view id = "no-pregreet";
    if (c.views.empty()) return skipped(id, "no connection");
    std::vector<std::string> quotes;
    for (std::size_t i = 0; i < c.views.size(); ++i)
        for (const ClientLine& l : c.views[i].lines)
            if (l.before_greeting) add_quote(quotes, quote(c, i, l));
    if (!quotes.empty()) return fail(id, "the client spoke before the greeting", std::move(quotes));
    // An implicit-TLS client handshakes first by design (RFC 8314 3.3); its ClientHello on a
    // plaintext port is judged by the TLS rules, not as SMTP spoken early.
    for (std::size_t i = 0; i < c.views.size(); ++i)
        if (const auto& h = c.views[i].plaintext_tls; h && h->before_greeting)
            return pass(id, "no SMTP before the greeting; the client opened with a TLS ClientHello",
                        {quote_text(c, i, 'C', h->t, false, "<TLS ClientHello, " + std::to_string(h->octets) + " octets>")});
    return pass(id, "waited for the greeting");
}

// QUIT is exempt: a client that gives up on a stalled reply and says goodbye is not pipelining.
Finding pipelining_only_when_offered(const Context& c) {
    constexpr std::string_view id = "pipelining-only-when-offered";
    std::vector<std::string> quotes;
    std::string first;
    for (std::size_t i = 0; i < c.views.size(); ++i) {
        const ClientView& v = c.views[i];
        for (std::size_t k = 0; k < v.lines.size(); ++k) {
            const ClientLine& l = v.lines[k];
            if (l.kind != ClientLine::Kind::command || !l.pipelined || l.discarded || l.verb == core::Verb::quit) continue;
            const ClientLine* w = waiting_at(v, k);
            if (!w) continue;
            const ServerReply* caps = capabilities_for(v, k);
            const bool offered = caps && has_keyword(*caps, "PIPELINING");
            std::string problem;
            if (group_end(w->verb)) problem = l.word + " sent before the reply to " + w->word;
            else if (!offered) problem = l.word + " pipelined without PIPELINING";
            if (problem.empty()) continue;
            if (first.empty()) first = problem;
            add_quote(quotes, quote(c, i, *w));
            add_quote(quotes, quote(c, i, l));
        }
    }
    if (!quotes.empty()) return fail(id, first, std::move(quotes));
    return pass(id, "no pipelining where it is not allowed");
}

// RFC 2920 3.1 / RFC 5321 4.1.1.4: the body follows the 354; text sent where the server reads
// commands (after a non-354 to DATA, or a 354 to RSET, CC-27) is body sent as commands.
Finding body_after_354(const Context& c) {
    constexpr std::string_view id = "body-after-354";
    std::vector<std::string> quotes;
    std::size_t datas = 0;
    for (std::size_t i = 0; i < c.views.size(); ++i) {
        const ClientView& v = c.views[i];
        for (const ClientLine& l : v.lines) {
            if (l.verb == core::Verb::data) ++datas;
            if (l.kind == ClientLine::Kind::command && l.word.size() > 1 && l.word.back() == ':')
                add_quote(quotes, quote(c, i, l));
        }
        for (const Body& b : v.bodies)
            if (b.kind == Body::Kind::data && b.before_354) {
                add_quote(quotes, quote(c, i, v.lines[b.command]));
                add_quote(quotes, quote_text(c, i, 'C', b.segments.empty() ? Millis{0} : b.segments.front().t, b.tls,
                                             "<message body sent before 354>"));
            }
    }
    if (!quotes.empty()) return fail(id, "message text sent before 354 or as commands", std::move(quotes));
    if (datas == 0) return skipped(id, "no DATA");
    return pass(id, "body sent after 354");
}

// RFC 5321 4.2.1: 5yz is permanent. After a 5xx greeting no transaction (CC-11); after a 5xx
// to MAIL no RCPT/DATA in that transaction; DATA not after every RCPT failed (CC-19); after a
// 5xx to MAIL or end of data the message is not sent again (CC-20, CC-26).
Finding stops_after_5xx(const Context& c) {
    constexpr std::string_view id = "stops-after-5xx";
    std::vector<std::string> quotes;
    bool saw_5xx = false;
    std::string first;
    auto bad = [&](std::size_t i, const ClientLine& l, std::string why) {
        if (first.empty()) first = std::move(why);
        add_quote(quotes, quote(c, i, l));
    };
    bool failed_before = false;              // a 5xx to MAIL or end of data in an earlier connection
    std::optional<WirePos> message_failed;  // ... in this connection: a resend counts once it was read
    for (std::size_t i = 0; i < c.views.size(); ++i) {
        const ClientView& v = c.views[i];
        FiveState st;
        failed_before = failed_before || message_failed.has_value();
        message_failed.reset();
        for (const ServerReply& r : v.replies)
            if (r.greeting && r.code / 100 == 5) {
                st.greeting_5xx = r.pos;
                saw_5xx = true;
            }
        for (const ClientLine& l : v.lines) {
            if (l.kind != ClientLine::Kind::command || l.discarded) continue;
            const int k = reply_class(v, l.reply);
            if (after(st.greeting_5xx, l) && (l.verb == core::Verb::auth || is_envelope(l.verb)))
                bad(i, l, l.word + " after a 5xx greeting");
            if (l.verb == core::Verb::mail && (failed_before || after(message_failed, l))) bad(i, l, "message sent again after a permanent failure");
            if (l.verb == core::Verb::mail || l.verb == core::Verb::rset) st = {st.greeting_5xx, std::nullopt, 0, 0, {}, true};
            if (l.verb == core::Verb::mail && k == 5) {
                st.mail_failed = message_failed = v.replies[*l.reply].pos;
                saw_5xx = true;
            }
            if ((l.verb == core::Verb::rcpt || l.verb == core::Verb::data || l.verb == core::Verb::bdat) && after(st.mail_failed, l))
                bad(i, l, l.word + " after a 5xx to MAIL");
            if (l.verb == core::Verb::rcpt) {
                ++st.rcpts;
                st.rcpts_ok += k == 2;
                saw_5xx = saw_5xx || k == 5;
                if (l.reply) st.last_rcpt_reply = std::max(st.last_rcpt_reply, v.replies[*l.reply].pos);
                else st.rcpts_answered = false;
            }
            // CC-19: DATA once the client has read that every RCPT failed.
            if (l.verb == core::Verb::data && st.rcpts > 0 && st.rcpts_ok == 0 && !st.mail_failed && st.rcpts_answered &&
                st.last_rcpt_reply < l.pos)
                bad(i, l, "DATA after every RCPT failed");
            if (l.body && v.bodies[*l.body].reply && reply_class(v, v.bodies[*l.body].reply) == 5) {
                message_failed = v.replies[*v.bodies[*l.body].reply].pos;
                saw_5xx = true;
            }
        }
    }
    if (!quotes.empty()) return fail(id, first, std::move(quotes));
    if (!saw_5xx) return skipped(id, "no permanent failure to react to");
    return pass(id, "stopped after 5xx");
}

// RFC 5321 4.1.1.10: the client sends QUIT to end the session. Not judged when the server
// closed first (e.g. a 421 after the dot).
Finding quit_at_end(const Context& c) {
    constexpr std::string_view id = "quit-at-end";
    std::vector<std::string> quotes;
    std::size_t judged = 0;
    for (std::size_t i = 0; i < c.views.size(); ++i) {
        const ClientView& v = c.views[i];
        const ServerReply* done = nullptr;
        for (const Body& b : v.bodies)
            if (b.reply) done = &v.replies[*b.reply];
        if (!done) continue;
        auto close = std::find_if(v.markers.begin(), v.markers.end(), [](const Marker& m) {
            return m.kind == TraceEntry::Kind::client_closed || m.kind == TraceEntry::Kind::server_closed;
        });
        const bool quit = std::any_of(v.lines.begin(), v.lines.end(),
                                      [&](const ClientLine& l) { return l.verb == core::Verb::quit && done->pos < l.pos; });
        if (!quit && close != v.markers.end() && close->kind == TraceEntry::Kind::server_closed) continue;
        ++judged;
        if (quit) continue;
        add_quote(quotes, quote(c, i, *done));
        if (close != v.markers.end()) add_quote(quotes, quote(c, i, *close));
    }
    if (!quotes.empty()) return fail(id, "closed without QUIT after the transaction", std::move(quotes));
    if (judged == 0) return skipped(id, "no completed transaction ended by the client");
    return pass(id, "QUIT sent at the end");
}

}  // namespace exosim::scenario::rules
