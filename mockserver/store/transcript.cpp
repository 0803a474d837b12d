#include "store/transcript.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <boost/json.hpp>

#include "core/base64.hpp"
#include "store/json_text.hpp"

namespace exosim::store {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

fs::path sessions_dir(const fs::path& data_dir) { return data_dir / "sessions"; }

// "bytes" when the data is UTF-8 (JSON escapes CR, LF and other controls), "b64" otherwise.
void put_bytes(json::object& o, std::string_view bytes) {
    if (is_valid_utf8(bytes)) o["bytes"] = bytes;
    else o["b64"] = core::base64_encode(bytes);
}

}  // namespace

Transcript::Transcript(const fs::path& data_dir, std::string session_id, CaptureMode mode)
    : session_id_(std::move(session_id)), mode_(mode), start_(std::chrono::steady_clock::now()) {
    if (!is_safe_file_id(session_id_)) throw std::invalid_argument("transcript: unsafe session id");
    if (mode_ == CaptureMode::disk) {
        path_ = sessions_dir(data_dir) / (session_id_ + ".jsonl");
        auto open_file = [&] { return ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644); };
        fd_ = open_file();
        // The directory exists after the first session: create it only when it is missing.
        if (fd_ < 0 && errno == ENOENT) {
            std::error_code ec;
            fs::create_directories(sessions_dir(data_dir), ec);
            fd_ = open_file();
        }
        ok_ = fd_ >= 0;
    }
    json::object o{{"t_ms", 0}, {"dir", "event"}, {"tls", tls_}, {"type", "session"}, {"detail", session_id_},
                   {"started_at", format_utc_ms(std::chrono::system_clock::now())}};
    write_line(json::serialize(o));
}

Transcript::~Transcript() { close(); }

long long Transcript::elapsed_ms() const {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now() - start_).count();
}

void Transcript::set_tls(std::string_view version) { tls_ = to_valid_utf8(version); }

void Transcript::append_in(std::string_view bytes, bool redact) {
    if (mode_ == CaptureMode::off || closed_) return;
    json::object o{{"t_ms", elapsed_ms()}, {"dir", "in"}, {"read", ++reads_}, {"tls", tls_}};
    if (redact) {
        o["bytes"] = "<redacted " + std::to_string(bytes.size()) + " bytes>";
        o["redacted"] = true;
    } else {
        put_bytes(o, bytes);
    }
    write_line(json::serialize(o));
}

void Transcript::append_out(std::string_view bytes) {
    if (mode_ == CaptureMode::off || closed_) return;
    json::object o{{"t_ms", elapsed_ms()}, {"dir", "out"}, {"tls", tls_}};
    put_bytes(o, bytes);
    write_line(json::serialize(o));
}

void Transcript::append_event(std::string_view type, std::string_view detail) {
    if (mode_ == CaptureMode::off || closed_) return;
    json::object o{{"t_ms", elapsed_ms()}, {"dir", "event"}, {"tls", tls_}, {"type", to_valid_utf8(type)},
                   {"detail", to_valid_utf8(detail)}};
    write_line(json::serialize(o));
}

void Transcript::write_line(std::string line) {
    if (mode_ == CaptureMode::memory) {
        lines_.push_back(std::move(line));
        return;
    }
    if (mode_ != CaptureMode::disk || !ok_) return;
    buffer_ += line;
    buffer_ += '\n';
    if (++pending_records_ >= flush_every || buffer_.size() >= flush_bytes) flush();
}

void Transcript::flush() {
    pending_records_ = 0;
    if (fd_ < 0 || buffer_.empty()) return;
    std::size_t done = 0;
    while (done < buffer_.size()) {
        ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            ok_ = false;  // disk full or similar: the session goes on without a transcript
            break;
        }
        done += static_cast<std::size_t>(n);
    }
    buffer_.clear();
}

void Transcript::close() {
    if (closed_) return;
    flush();
    closed_ = true;
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

std::vector<std::string> list_sessions(const fs::path& data_dir) {
    std::vector<std::string> ids;
    std::error_code ec;
    for (const fs::directory_entry& e : fs::directory_iterator(sessions_dir(data_dir), ec)) {
        if (e.path().extension() != ".jsonl") continue;
        std::string id = e.path().stem().string();
        if (is_safe_file_id(id)) ids.push_back(std::move(id));
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

std::optional<std::vector<std::string>> read_transcript(const fs::path& data_dir, std::string_view session_id) {
    if (!is_safe_file_id(session_id)) return std::nullopt;
    std::ifstream in(sessions_dir(data_dir) / (std::string(session_id) + ".jsonl"), std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream buf;
    buf << in.rdbuf();
    std::string text = std::move(buf).str();
    std::vector<std::string> lines;
    std::size_t pos = 0;
    for (std::size_t nl; (nl = text.find('\n', pos)) != std::string::npos; pos = nl + 1)
        if (nl > pos) lines.push_back(text.substr(pos, nl - pos));
    return lines;
}

}  // namespace exosim::store
