#include "control/session_log.hpp"

#include "control/event_json.hpp"

namespace exosim::control {

SessionLog::SessionLog(bool keep_transcripts, std::size_t max_sessions, std::size_t max_records,
                       std::size_t max_wire_bytes)
    : keep_(keep_transcripts), max_sessions_(max_sessions), max_records_(max_records), max_wire_bytes_(max_wire_bytes) {}

void SessionLog::on_session_started(const transport::SessionRecord& record) {
    if (!keep_) return;
    std::lock_guard lock(mutex_);
    if (transcripts_.count(record.id)) return;
    Entry& entry = transcripts_[record.id];
    entry.id = record.id;
    entry.started = record.started;
    entry.start_tls = record.tls_version;
    order_.push_back(record.id);
    while (order_.size() > max_sessions_) {
        transcripts_.erase(order_.front());
        order_.pop_front();
    }
}

namespace {

// Replies are in the transcript as the bytes written; their engine events add nothing.
bool renders_nothing(const transport::TimedEvent& event) {
    const auto* e = std::get_if<core::Event>(&event.data);
    return e && std::holds_alternative<core::ReplyProduced>(*e);
}

}  // namespace

void SessionLog::on_session_event(const transport::SessionRecord& record, const transport::TimedEvent& event) {
    if (!keep_ || renders_nothing(event)) return;
    std::lock_guard lock(mutex_);
    auto it = transcripts_.find(record.id);
    if (it == transcripts_.end()) return;
    Entry& entry = it->second;
    if (entry.items.size() + 1 >= max_records_) {  // +1: the session record
        ++entry.dropped;
        return;
    }
    const auto* chunk = std::get_if<transport::WireChunk>(&event.data);
    if (!chunk) {
        entry.items.push_back({event, record.tls_version});
        return;
    }
    const std::size_t room = max_wire_bytes_ - std::min(entry.wire_bytes, max_wire_bytes_);
    if (room == 0) {
        entry.wire_bytes_dropped += chunk->bytes.size();
        return;
    }
    if (chunk->bytes.size() <= room) {
        entry.items.push_back({event, record.tls_version});
        entry.wire_bytes += chunk->bytes.size();
        return;
    }
    transport::TimedEvent cut{event.at, transport::WireChunk{chunk->direction, chunk->bytes.substr(0, room), chunk->tls}};
    entry.items.push_back({std::move(cut), record.tls_version});
    entry.wire_bytes += room;
    entry.wire_bytes_dropped += chunk->bytes.size() - room;
}

void SessionLog::on_session_ended(const transport::SessionRecord& record) {
    if (!keep_) return;
    std::lock_guard lock(mutex_);
    auto it = transcripts_.find(record.id);
    if (it == transcripts_.end()) return;
    auto t_ms = record.ended
                    ? std::chrono::duration_cast<std::chrono::milliseconds>(*record.ended - record.started).count()
                    : 0;
    it->second.close = Close{t_ms, record.tls_version, std::string(record.close_reason_text())};
}

std::optional<boost::json::array> SessionLog::transcript(const std::string& session_id) const {
    std::optional<Entry> copy;
    {
        std::lock_guard lock(mutex_);
        auto it = transcripts_.find(session_id);
        if (it == transcripts_.end()) return std::nullopt;
        copy = it->second;
    }
    return render(*copy);  // outside the lock: sessions keep appending meanwhile
}

boost::json::array SessionLog::render(const Entry& entry) {
    boost::json::array out;
    out.push_back(boost::json::object{{"t_ms", 0},
                                      {"dir", "event"},
                                      {"tls", entry.start_tls},
                                      {"type", "session"},
                                      {"detail", entry.id},
                                      {"started_at", utc_text(entry.started)}});
    transport::SessionRecord as_then;
    as_then.id = entry.id;
    as_then.started = entry.started;
    for (const Item& item : entry.items) {
        as_then.tls_version = item.tls;
        boost::json::object line = transcript_record(as_then, item.event);
        if (!line.empty()) out.push_back(std::move(line));
    }
    if (entry.close) {
        boost::json::object close{{"t_ms", entry.close->t_ms},
                                  {"dir", "event"},
                                  {"tls", entry.close->tls},
                                  {"type", "close"},
                                  {"detail", entry.close->reason}};
        if (entry.dropped) close["records_dropped"] = entry.dropped;
        if (entry.wire_bytes_dropped) close["wire_bytes_dropped"] = entry.wire_bytes_dropped;
        out.push_back(std::move(close));
    }
    return out;
}

void SessionLog::reset() {
    std::lock_guard lock(mutex_);
    transcripts_.clear();
    order_.clear();
    reset_at_ = std::chrono::system_clock::now();
}

bool SessionLog::hidden(const transport::SessionRecord& record) const {
    std::lock_guard lock(mutex_);
    return reset_at_ && record.ended && *record.ended <= *reset_at_;
}

}  // namespace exosim::control
