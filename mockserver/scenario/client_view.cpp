#include "scenario/client_view.hpp"

#include <algorithm>
#include <deque>
#include <string_view>

#include "core/ascii.hpp"
#include "scenario/wire_bytes.hpp"

namespace exosim::scenario {

namespace {

using EntryKind = TraceEntry::Kind;

// What a server reply is expected to answer, in the order the client asked.
struct Waiting {
    enum class What { greeting, line, end_of_data };
    What what;
    std::size_t index = 0;  // line or body index
};

// RFC 3030 2: "BDAT" SP chunk-size [ SP end-marker ].
void parse_bdat(std::string_view text, std::size_t& size, bool& last) {
    size = 0;
    last = false;
    std::size_t i = 4;
    while (i < text.size() && text[i] == ' ') ++i;
    while (i < text.size() && core::ascii::is_digit(text[i]) && size < (1u << 30))
        size = size * 10 + static_cast<std::size_t>(text[i++] - '0');
    while (i < text.size() && text[i] == ' ') ++i;
    last = core::ascii::istarts_with(text.substr(i), "LAST");
}

class Builder {
public:
    explicit Builder(const ConnectionTrace& c) : trace_(c) {}
    ClientView run();

private:
    enum class Mode { command, auth_line, data, bdat };

    void on_client(const TraceEntry& e, std::size_t i);
    void on_server(const TraceEntry& e, std::size_t i);
    void on_tls_started(const TraceEntry& e, std::size_t i);
    void drain();
    bool take_line(ClientLine::Kind kind, bool end);
    bool take_body();
    bool take_bdat();
    void add_line(ClientLine line);
    void start_bdat(ClientLine& line, std::size_t index);
    void append_body(std::size_t n);
    void add_reply_line(std::string_view raw, WirePos pos, const WireSegment& meta);
    void finish_reply(bool terminated);
    void flush_server_partial();
    void on_reply(std::size_t r);
    void finish_client();
    bool take_tls_records();

    const ConnectionTrace& trace_;
    ClientView view_;
    WireBytes client_;
    WireBytes server_;
    std::deque<Waiting> queue_{{Waiting::What::greeting, 0}};
    Mode mode_ = Mode::command;
    bool hold_ = false;           // the last command is an unanswered AUTH or DATA
    bool discarding_ = false;     // interpreting plaintext left over at the TLS upgrade
    bool tls_records_ = false;    // plaintext client bytes are TLS records (ClientView::plaintext_tls)
    std::size_t last_command_ = 0;
    std::size_t last_read_ = 0;
    std::size_t reads_ = 0;
    std::size_t writes_ = 0;
    std::size_t bdat_left_ = 0;
    bool bdat_last_ = false;
    std::optional<std::size_t> bdat_body_;
    std::optional<ServerReply> reply_;  // reply being assembled (multi-line)
};

ClientView Builder::run() {
    for (std::size_t i = 0; i < trace_.entries.size(); ++i) {
        const TraceEntry& e = trace_.entries[i];
        view_.end = std::max(view_.end, e.t);
        switch (e.kind) {
        case EntryKind::client_bytes: on_client(e, i); break;
        case EntryKind::server_bytes: on_server(e, i); break;
        case EntryKind::tls_started: on_tls_started(e, i); break;
        default:
            if (e.kind == EntryKind::server_closed || e.kind == EntryKind::client_closed) flush_server_partial();
            view_.markers.push_back({e.kind, e.detail, e.t, {i, 0}, false, e.tls});
        }
    }
    flush_server_partial();
    finish_client();
    return std::move(view_);
}

void Builder::on_client(const TraceEntry& e, std::size_t i) {
    client_.append(e.bytes, ++reads_, e.t, e.tls, i);
    drain();
}

void Builder::on_server(const TraceEntry& e, std::size_t i) {
    server_.append(e.bytes, ++writes_, e.t, e.tls, i);
    for (std::size_t lf; (lf = server_.bytes().find('\n')) != std::string::npos;) {
        const WireSegment meta = server_.at(lf);
        const WirePos pos = server_.pos_at(0);
        const std::string raw = server_.bytes().substr(0, lf + 1);
        server_.drop(lf + 1);
        add_reply_line(raw, pos, meta);
    }
    drain();
}

// RFC 3207 4.2: the server discards what it knew before the handshake; so does the view (bytes
// the server wrote before TLS never complete a reply read inside TLS, CC-04).
void Builder::on_tls_started(const TraceEntry& e, std::size_t i) {
    flush_server_partial();
    discarding_ = true;
    hold_ = false;
    mode_ = Mode::command;
    while (take_line(ClientLine::Kind::command, true)) {}
    discarding_ = false;
    for (const Waiting& w : queue_)  // pipelined after STARTTLS: never answered, thrown away
        if (w.what == Waiting::What::line) view_.lines[w.index].discarded = true;
    queue_.clear();
    hold_ = false;
    mode_ = Mode::command;
    const bool upgrade = std::any_of(view_.lines.begin(), view_.lines.end(),
                                     [](const ClientLine& l) { return l.verb == core::Verb::starttls; });
    view_.markers.push_back({e.kind, e.detail, e.t, {i, 0}, upgrade, true});
}

void Builder::drain() {
    while (!hold_) {
        switch (mode_) {
        case Mode::command:
            if (take_tls_records() || !take_line(ClientLine::Kind::command, false)) return;
            break;
        case Mode::auth_line:
            if (!take_line(ClientLine::Kind::auth_response, false)) return;
            mode_ = Mode::command;
            hold_ = true;  // the AUTH again waits for the server's next reply
            break;
        case Mode::data:
            if (!take_body()) return;
            break;
        case Mode::bdat:
            if (!take_bdat()) return;
            break;
        }
    }
}

// One client line: up to LF (CRLF or bare LF), or, at `end` (TLS start, close), the bytes left
// without an ending. False when there is no such line.
bool Builder::take_line(ClientLine::Kind kind, bool end) {
    const std::size_t lf = client_.bytes().find('\n');
    if (lf == std::string::npos && (!end || client_.empty())) return false;
    const std::size_t size = lf == std::string::npos ? client_.bytes().size() : lf + 1;
    const WireSegment meta = client_.at(size - 1);
    ClientLine line;
    line.kind = kind;
    line.text = client_.bytes().substr(0, size);
    if (lf != std::string::npos) {
        const bool crlf = lf > 0 && client_.bytes()[lf - 1] == '\r';
        line.text.resize(crlf ? lf - 1 : lf);
        line.ending = crlf ? "\r\n" : "\n";
    }
    line.t = meta.t;
    line.tls = meta.tls;
    line.read = meta.read;
    line.pos = client_.pos_at(0);
    client_.drop(size);
    add_line(std::move(line));
    return true;
}

void Builder::add_line(ClientLine line) {
    line.same_read = line.read == last_read_;
    last_read_ = line.read;
    line.discarded = discarding_;
    const std::size_t index = view_.lines.size();
    if (line.kind == ClientLine::Kind::command) {
        line.word = command_verb(line.text);
        line.verb = core::verb_from_name(line.word);
        line.before_greeting = !queue_.empty() && queue_.front().what == Waiting::What::greeting;
        line.pipelined = std::any_of(queue_.begin(), queue_.end(),
                                     [](const Waiting& w) { return w.what != Waiting::What::greeting; });
        if (!discarding_) {
            queue_.push_back({Waiting::What::line, index});
            last_command_ = index;
            hold_ = line.verb == core::Verb::auth || line.verb == core::Verb::data;
            if (line.verb == core::Verb::bdat) start_bdat(line, index);
        }
    }
    view_.lines.push_back(std::move(line));
}

void Builder::start_bdat(ClientLine& line, std::size_t index) {
    parse_bdat(line.text, bdat_left_, bdat_last_);
    if (!bdat_body_) {
        bdat_body_ = view_.bodies.size();
        Body b;
        b.kind = Body::Kind::bdat;
        b.command = index;
        b.tls = line.tls;
        view_.bodies.push_back(std::move(b));
    }
    line.body = bdat_body_;
    mode_ = Mode::bdat;
    if (bdat_left_ == 0) take_bdat();
}

void Builder::append_body(std::size_t n) {
    Body& b = view_.bodies.back();
    for (std::size_t off = 0; off < n;) {
        const WireSegment meta = client_.at(off);
        b.segments.push_back({b.raw.size() + off, meta.read, meta.t, client_.pos_at(off)});
        last_read_ = meta.read;
        off = std::min(n, client_.segment_end(off));
    }
    b.raw += client_.bytes().substr(0, n);
    client_.drop(n);
}

// RFC 5321 4.1.1.4: the body ends at CRLF "." CRLF; the CRLF ending the DATA line counts as the
// first CRLF, so an empty body is just ".\r\n".
bool Builder::take_body() {
    if (client_.empty()) return false;
    Body& b = view_.bodies.back();
    const std::size_t from = b.raw.size() >= 4 ? b.raw.size() - 4 : 0;
    const std::string prefix = from == 0 ? "\r\n" : "";
    const std::string window = prefix + b.raw.substr(from) + client_.bytes();
    const std::size_t p = window.find("\r\n.\r\n");
    if (p == std::string::npos) {
        append_body(client_.bytes().size());
        return false;
    }
    const std::size_t taken = p + 5 - prefix.size() - (b.raw.size() - from);
    append_body(taken);
    view_.bodies.back().terminated = true;
    queue_.push_back({Waiting::What::end_of_data, view_.bodies.size() - 1});
    mode_ = Mode::command;
    return true;
}

bool Builder::take_bdat() {
    const std::size_t n = std::min(bdat_left_, client_.bytes().size());
    if (n > 0) append_body(n);
    bdat_left_ -= n;
    if (bdat_left_ > 0) return false;
    mode_ = Mode::command;
    if (bdat_last_) {
        view_.bodies[*bdat_body_].terminated = true;
        bdat_body_.reset();
    }
    return true;
}

// RFC 8446 5.1 / RFC 5246 6.2.1: a handshake record starts 0x16 0x03. No SMTP command starts with
// a control character, so the test is safe at any command boundary; one byte 0x16 is enough.
bool Builder::take_tls_records() {
    if (client_.empty() || discarding_) return false;
    const std::string& b = client_.bytes();
    const WireSegment& meta = client_.at(0);
    if (!tls_records_) {
        if (meta.tls || b[0] != '\x16' || (b.size() > 1 && b[1] != '\x03')) return false;
        const bool early = !queue_.empty() && queue_.front().what == Waiting::What::greeting;
        view_.plaintext_tls = PlaintextTls{meta.t, meta.read, 0, early, client_.pos_at(0)};
        tls_records_ = true;
    }
    if (meta.tls) return false;
    view_.plaintext_tls->octets += b.size();
    last_read_ = client_.at(b.size() - 1).read;
    client_.drop(b.size());
    return true;
}

void Builder::finish_client() {
    if (mode_ == Mode::command && !hold_) take_tls_records();
    if (client_.empty()) return;
    const bool data_unanswered = hold_ && view_.lines[last_command_].verb == core::Verb::data;
    if (data_unanswered || mode_ == Mode::data) {
        // Bytes after a DATA that never got its reply: the client meant them as the body.
        if (data_unanswered) {
            Body b;
            b.command = last_command_;
            b.tls = view_.lines[last_command_].tls;
            b.before_354 = true;
            view_.lines[last_command_].body = view_.bodies.size();
            view_.bodies.push_back(std::move(b));
        }
        append_body(client_.bytes().size());
        return;
    }
    const auto kind = hold_ ? ClientLine::Kind::auth_response : ClientLine::Kind::command;
    hold_ = false;
    mode_ = Mode::command;
    while (take_line(kind, true)) {}
}

// Tolerant RFC 5321 4.2 splitting: a line that is not "ddd", "ddd " or "ddd-" ends the reply it
// is in (malformed), so scripted garbage never swallows the replies after it.
void Builder::add_reply_line(std::string_view raw, WirePos pos, const WireSegment& meta) {
    const bool crlf = raw.size() >= 2 && raw[raw.size() - 2] == '\r';
    const std::string_view text = raw.substr(0, raw.size() - (crlf ? 2 : 1));
    const bool coded = text.size() >= 3 && text[0] >= '2' && text[0] <= '5' &&
                       core::ascii::is_digit(text[1]) &&
                       core::ascii::is_digit(text[2]) &&
                       (text.size() == 3 || text[3] == ' ' || text[3] == '-');
    const int code = coded ? std::stoi(std::string(text.substr(0, 3))) : 0;
    if (!reply_) {
        reply_.emplace();
        reply_->code = code;
        reply_->pos = pos;
        reply_->tls = meta.tls;
    } else if (code != reply_->code) {
        reply_->well_formed = false;
    }
    reply_->well_formed = reply_->well_formed && coded && crlf;
    reply_->raw += raw;
    reply_->lines.emplace_back(coded ? text.substr(std::min<std::size_t>(4, text.size())) : text);
    reply_->line_writes.push_back(meta.read);
    reply_->t = meta.t;
    const bool continues = coded && text.size() > 3 && text[3] == '-';
    if (!continues) finish_reply(true);
}

void Builder::finish_reply(bool terminated) {
    reply_->terminated = terminated;
    view_.replies.push_back(std::move(*reply_));
    reply_.reset();
    if (terminated) on_reply(view_.replies.size() - 1);
}

// Bytes without a line ending at TLS start or close: never a reply a client may act on.
void Builder::flush_server_partial() {
    if (!server_.empty()) {
        const WireSegment meta = server_.at(server_.bytes().size() - 1);
        if (!reply_) {
            reply_.emplace();
            reply_->pos = server_.pos_at(0);
            reply_->tls = meta.tls;
        }
        reply_->raw += server_.bytes();
        reply_->lines.push_back(server_.bytes());
        reply_->line_writes.push_back(meta.read);
        reply_->t = meta.t;
        reply_->well_formed = false;
        server_.drop(server_.bytes().size());
    }
    if (reply_) finish_reply(false);
}

void Builder::on_reply(std::size_t r) {
    ServerReply& rep = view_.replies[r];
    if (queue_.empty()) {
        rep.unsolicited = true;
        return;
    }
    const Waiting w = queue_.front();
    if (w.what == Waiting::What::greeting) {
        rep.greeting = true;
        queue_.pop_front();
        return;
    }
    if (w.what == Waiting::What::end_of_data) {
        rep.body = w.index;
        view_.bodies[w.index].reply = r;
        queue_.pop_front();
        return;
    }
    ClientLine& line = view_.lines[w.index];
    rep.answers = w.index;
    const bool held = hold_ && last_command_ == w.index;
    if (line.verb == core::Verb::auth && rep.code == 334) {  // RFC 4954 4: the next client line answers it
        if (held) {
            hold_ = false;
            mode_ = Mode::auth_line;
        }
        return;
    }
    queue_.pop_front();
    line.reply = r;
    if (held) hold_ = false;
    if (line.verb == core::Verb::data && rep.code == 354 && held) {
        Body b;
        b.command = w.index;
        b.tls = line.tls;
        b.before_354 = !client_.empty();
        line.body = view_.bodies.size();
        view_.bodies.push_back(std::move(b));
        mode_ = Mode::data;
    }
    if (line.verb == core::Verb::bdat && line.body && view_.bodies[*line.body].terminated) {
        rep.body = line.body;
        view_.bodies[*line.body].reply = r;
    }
}

}  // namespace

ClientView read_client_view(const ConnectionTrace& connection) { return Builder(connection).run(); }

std::string command_verb(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size() && line[i] == ' ') ++i;
    std::string verb;
    for (; i < line.size() && line[i] != ' ' && line[i] != '\r'; ++i)
        verb += core::ascii::to_upper(line[i]);
    return verb;
}

}  // namespace exosim::scenario
