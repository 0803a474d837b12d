#pragma once
// A session's transcript as JSON lines: <data_dir>/sessions/<session_id>.jsonl (disk) or in
// memory. One record per line:
//   {"t_ms":0,"dir":"event","type":"session","detail":"<id>","started_at":"2025-...Z","tls":"none"}
//   {"t_ms":12,"dir":"in","read":1,"tls":"none","bytes":"EHLO x\r\n"}
//   {"t_ms":12,"dir":"out","tls":"none","bytes":"250-...\r\n"}
//   {"t_ms":40,"dir":"event","tls":"TLSv1.3","type":"tls","detail":"..."}
// "t_ms" counts from the transcript's start; "read" numbers the reads of the connection so
// pipelined commands that arrived together share one. Bytes that are not valid UTF-8 are
// written as "b64" instead of "bytes"; redacted input as "bytes":"<redacted N bytes>" plus
// "redacted":true. Writes are buffered (flushed every flush_every records and on flush/close),
// never fsync'ed: a crash may lose the tail, and readers skip an incomplete last line.
//
// Not thread-safe: one transcript belongs to one session coroutine.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/message_store.hpp"

namespace exosim::store {

class Transcript {
public:
    static constexpr std::size_t flush_every = 32;
    static constexpr std::size_t flush_bytes = 64 * 1024;

    // Disk mode creates <data_dir>/sessions; a file that cannot be opened makes the transcript a
    // no-op (ok() false) rather than failing the session. Throws std::invalid_argument for a
    // session id that is not a safe file name.
    Transcript(const std::filesystem::path& data_dir, std::string session_id, CaptureMode mode);
    ~Transcript();
    Transcript(const Transcript&) = delete;
    Transcript& operator=(const Transcript&) = delete;

    // Later records carry this TLS state ("none", "TLSv1.2", ...).
    void set_tls(std::string_view version);
    // One read from the client. `redact` (AUTH secrets) keeps only the length.
    void append_in(std::string_view bytes, bool redact = false);
    void append_out(std::string_view bytes);
    void append_event(std::string_view type, std::string_view detail);
    void flush();
    // Flushes and closes the file; later appends are ignored.
    void close();

    const std::string& session_id() const { return session_id_; }
    const std::filesystem::path& path() const { return path_; }  // empty unless disk mode
    // Memory mode: the records so far, one JSON text each.
    const std::vector<std::string>& lines() const { return lines_; }
    bool ok() const { return ok_; }

private:
    void write_line(std::string line);
    long long elapsed_ms() const;

    std::string session_id_;
    CaptureMode mode_;
    std::filesystem::path path_;
    int fd_ = -1;
    bool ok_ = true;
    bool closed_ = false;
    std::chrono::steady_clock::time_point start_;
    std::string tls_ = "none";
    std::size_t reads_ = 0;
    std::size_t pending_records_ = 0;
    std::string buffer_;
    std::vector<std::string> lines_;
};

// Session ids with a transcript under <data_dir>/sessions, sorted.
std::vector<std::string> list_sessions(const std::filesystem::path& data_dir);
// The complete records of one transcript (an unterminated last line is left out); nullopt when
// there is none or the id is not a safe file name.
std::optional<std::vector<std::string>> read_transcript(const std::filesystem::path& data_dir,
                                                        std::string_view session_id);

}  // namespace exosim::store
