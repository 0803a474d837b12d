#pragma once
// What the control API remembers about sessions beyond the registry: transcripts of recent
// sessions when capture is not on disk (memory and off modes keep no transcript files), and the
// reset point (POST /reset hides sessions that ended before it; the registry itself is append-only).
// A SessionObserver: called on SMTP I/O threads, so it only appends typed events under a short
// lock; the JSON records are rendered when the API asks for a transcript, not per event.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/json/array.hpp>

#include "transport/registry.hpp"

namespace exosim::control {

class SessionLog : public transport::SessionObserver {
public:
    // Limits keep a long-running server's memory bounded: the oldest session's transcript goes
    // first; a session past max_records keeps its first records and counts the rest; past
    // max_wire_bytes of wire data (a 150 MB message is legal) its wire records are cut there and
    // the rest is counted. Worst case: max_sessions x max_wire_bytes (200 x 256 KiB = 50 MiB).
    static constexpr std::size_t default_sessions = 200;
    static constexpr std::size_t default_records = 10000;
    static constexpr std::size_t default_wire_bytes = 256 * 1024;

    SessionLog(bool keep_transcripts, std::size_t max_sessions = default_sessions,
               std::size_t max_records = default_records, std::size_t max_wire_bytes = default_wire_bytes);

    void on_session_started(const transport::SessionRecord& record) override;
    void on_session_event(const transport::SessionRecord& record, const transport::TimedEvent& event) override;
    void on_session_ended(const transport::SessionRecord& record) override;

    // Transcript records (store/transcript.hpp shape) of a remembered session.
    std::optional<boost::json::array> transcript(const std::string& session_id) const;

    void reset();  // forget transcripts; hide sessions ended before now
    bool hidden(const transport::SessionRecord& record) const;

private:
    struct Item {
        transport::TimedEvent event;
        std::string tls;  // the session's TLS version when the event happened
    };
    struct Close {
        std::int64_t t_ms = 0;
        std::string tls;
        std::string reason;
    };
    struct Entry {
        std::string id;
        std::chrono::system_clock::time_point started;
        std::string start_tls;
        std::vector<Item> items;
        std::size_t dropped = 0;
        std::size_t wire_bytes = 0;          // kept
        std::uint64_t wire_bytes_dropped = 0;
        std::optional<Close> close;
    };
    static boost::json::array render(const Entry& entry);

    bool keep_;
    std::size_t max_sessions_;
    std::size_t max_records_;
    std::size_t max_wire_bytes_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Entry> transcripts_;
    std::deque<std::string> order_;  // oldest first
    std::optional<std::chrono::system_clock::time_point> reset_at_;
};

}  // namespace exosim::control
