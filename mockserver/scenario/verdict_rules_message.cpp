// The message itself: RFC 5322 headers, the attachment, and Message-ID stability across retries.
#include <algorithm>

#include "core/ascii.hpp"
#include "scenario/message_text.hpp"
#include "scenario/transcript_text.hpp"
#include "scenario/oauth_view.hpp"
#include "scenario/verdict_rules.hpp"

namespace exosim::scenario::rules {

namespace {

struct Sent {
    std::size_t conn;
    const Body* body;
};

std::vector<Sent> sent_bodies(const Context& c) {
    std::vector<Sent> out;
    for (std::size_t i = 0; i < c.views.size(); ++i)
        for (const Body& b : c.views[i].bodies)
            if (b.terminated) out.push_back({i, &b});
    return out;
}

// The message judged for content: the delivered one, else the last complete one.
std::optional<Sent> judged_body(const Context& c) {
    const std::vector<Sent> all = sent_bodies(c);
    for (const Sent& s : all)
        if (s.body->reply && c.views[s.conn].replies[*s.body->reply].code / 100 == 2) return s;
    if (all.empty()) return std::nullopt;
    return all.back();
}

// RFC 5322 3.4.1 addr-spec, loosely: local@domain, inside <> when there is a display name.
bool has_address(std::string_view v) {
    const std::size_t lt = v.rfind('<');
    if (lt != std::string_view::npos) {
        const std::size_t gt = v.find('>', lt);
        if (gt == std::string_view::npos) return false;
        v = v.substr(lt + 1, gt - lt - 1);
    }
    const std::size_t at = v.find('@');
    return at != std::string_view::npos && at > 0 && at + 1 < v.size() && v.find_first_of(" \t", at) == std::string_view::npos;
}

std::string quote_body(const Context& c, const Sent& s, std::string text) {
    const Millis t = s.body->segments.empty() ? Millis{0} : s.body->segments.front().t;
    return quote_text(c, s.conn, 'C', t, s.body->tls, visible(text));
}

std::optional<std::string> message_id(const Body& b) {
    for (const HeaderField& f : header_fields(message_text(b)))
        if (core::ascii::lower(f.name) == "message-id") return f.value;
    return std::nullopt;
}

}  // namespace

// RFC 5322 3.6: Date and From are required, Message-ID SHOULD be present; each at most once.
Finding rfc5322_headers(const Context& c) {
    constexpr std::string_view id = "rfc5322-headers";
    const std::optional<Sent> s = judged_body(c);
    if (!s) return skipped(id, "no message sent");
    const std::vector<HeaderField> fields = header_fields(message_text(*s->body));
    std::vector<std::string> problems, quotes;
    for (std::string_view name : {"date", "from", "message-id"}) {
        const auto n = std::count_if(fields.begin(), fields.end(), [&](const HeaderField& f) { return core::ascii::lower(f.name) == name; });
        if (n != 1) problems.push_back(std::string(name) + " appears " + std::to_string(n) + " times");
    }
    for (const HeaderField& f : fields) {
        const std::string n = core::ascii::lower(f.name);
        if (n == "from" && !has_address(f.value)) problems.push_back("From has no address");
        if (n == "date" || n == "from" || n == "message-id") add_quote(quotes, quote_body(c, *s, f.name + ": " + f.value));
    }
    if (!problems.empty()) {
        std::string message;
        for (const std::string& p : problems) message += (message.empty() ? "" : "; ") + p;
        if (quotes.empty()) quotes.push_back(quote_body(c, *s, "<" + std::to_string(fields.size()) + " header fields>"));
        return fail(id, message, std::move(quotes));
    }
    return pass(id, "Date, From and Message-ID present once", std::move(quotes));
}

Finding attachment_intact(const Context& c) {
    constexpr std::string_view id = "attachment-intact";
    const auto& wanted = c.scenario.send.attachment;
    if (!wanted) return skipped(id, "no attachment requested");
    const auto expected = c.options.attachment ? c.options.attachment(*wanted) : std::nullopt;
    if (!expected) return skipped(id, "expected attachment bytes not available to the judge");
    const std::optional<Sent> s = judged_body(c);
    if (!s) return skipped(id, "no message sent");
    const std::optional<std::string> got = find_attachment(message_text(*s->body), expected->filename);
    const std::string q = quote_body(c, *s, "<message, " + std::to_string(s->body->raw.size()) + " octets>");
    if (!got) return fail(id, "no MIME part named '" + expected->filename + "' (or it did not decode)", {q});
    if (*got != expected->bytes) {
        const auto diff = std::mismatch(got->begin(), got->end(), expected->bytes.begin(), expected->bytes.end());
        return fail(id, "'" + expected->filename + "' decodes to " + std::to_string(got->size()) + " octets, expected " +
                            std::to_string(expected->bytes.size()) + "; first difference at offset " +
                            std::to_string(diff.first - got->begin()), {q});
    }
    return pass(id, "'" + expected->filename + "' intact (" + std::to_string(got->size()) + " octets)");
}

// CC-21: a retried message keeps its Message-ID so duplicates can be recognised.
Finding same_message_id_on_retry(const Context& c) {
    constexpr std::string_view id = "same-message-id-on-retry";
    const std::vector<Sent> all = sent_bodies(c);
    // A multi-job run (identity.jobs) sends one message per job: retries are compared within the
    // last job only.
    const std::size_t last_job = c.trace.job_starts.empty() ? 0 : c.trace.job_starts.size() - 1;
    std::vector<Sent> attempts;
    for (const Sent& s : all)
        if (s.body->segments.size() > 0 && oauth::job_at(c.trace, c.trace.connections[s.conn].start) == last_job)
            attempts.push_back(s);
    if (attempts.size() < 2) return skipped(id, "the message was sent fewer than twice");
    std::vector<std::string> quotes;
    const std::optional<std::string> first = message_id(*attempts.front().body);
    bool same = first.has_value();
    for (const Sent& s : attempts) {
        const std::optional<std::string> mid = message_id(*s.body);
        same = same && mid == first;
        add_quote(quotes, quote_body(c, s, "Message-ID: " + mid.value_or("<missing>")));
    }
    if (!same) return fail(id, "Message-ID changed between attempts", std::move(quotes));
    return pass(id, "same Message-ID on " + std::to_string(attempts.size()) + " attempts", std::move(quotes));
}

}  // namespace exosim::scenario::rules
