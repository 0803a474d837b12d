#include "control/session_log.hpp"

#include "control/event_json.hpp"

namespace exosim::control {

SessionLog::SessionLog(bool keep_transcripts, std::size_t max_sessions, std::size_t max_records)
    : keep_(keep_transcripts), max_sessions_(max_sessions), max_records_(max_records) {}

void SessionLog::on_session_started(const transport::SessionRecord& record) {
    if (!keep_) return;
    boost::json::object first{{"t_ms", 0},  {"dir", "event"},     {"tls", record.tls_version},
                              {"type", "session"}, {"detail", record.id}, {"started_at", utc_text(record.started)}};
    std::lock_guard lock(mutex_);
    if (transcripts_.count(record.id)) return;
    transcripts_[record.id].records.push_back(std::move(first));
    order_.push_back(record.id);
    while (order_.size() > max_sessions_) {
        transcripts_.erase(order_.front());
        order_.pop_front();
    }
}

void SessionLog::on_session_event(const transport::SessionRecord& record, const transport::TimedEvent& event) {
    if (!keep_) return;
    boost::json::object line = transcript_record(record, event);  // built outside the lock
    if (line.empty()) return;
    std::lock_guard lock(mutex_);
    auto it = transcripts_.find(record.id);
    if (it == transcripts_.end()) return;
    if (it->second.records.size() >= max_records_) ++it->second.dropped;
    else it->second.records.push_back(std::move(line));
}

void SessionLog::on_session_ended(const transport::SessionRecord& record) {
    if (!keep_) return;
    std::lock_guard lock(mutex_);
    auto it = transcripts_.find(record.id);
    if (it == transcripts_.end()) return;
    boost::json::object close{{"t_ms", record.ended ? std::chrono::duration_cast<std::chrono::milliseconds>(
                                                          *record.ended - record.started).count()
                                                    : 0},
                              {"dir", "event"}, {"tls", record.tls_version}, {"type", "close"},
                              {"detail", record.close_reason}};
    if (it->second.dropped) close["records_dropped"] = it->second.dropped;
    it->second.records.push_back(std::move(close));
}

std::optional<boost::json::array> SessionLog::transcript(const std::string& session_id) const {
    std::lock_guard lock(mutex_);
    auto it = transcripts_.find(session_id);
    if (it == transcripts_.end()) return std::nullopt;
    return it->second.records;
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
