#include "store/message_store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include "store/json_text.hpp"

namespace exosim::store {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view tmp_prefix = ".tmp-";

std::string errno_text(const std::string& what, const fs::path& p) {
    return what + " " + p.string() + ": " + std::strerror(errno);
}

// Writes `data` to a new file (not yet durable: the batch commit syncs it); on failure sets
// `error` and leaves no file behind.
bool write_file(const fs::path& path, std::string_view data, std::string& error) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        error = errno_text("create", path);
        return false;
    }
    std::size_t done = 0;
    bool ok = true;
    while (ok && done < data.size()) {
        ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) ok = false;
        else done += static_cast<std::size_t>(n);
    }
    if (!ok) error = errno_text("write", path);
    if (::close(fd) != 0 && ok) {
        ok = false;
        error = errno_text("close", path);
    }
    if (!ok) ::unlink(path.c_str());
    return ok;
}

bool fsync_dir(const fs::path& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return false;
    bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}

std::optional<std::string> read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream buf;
    buf << in.rdbuf();
    return std::move(buf).str();
}

std::string random_hex8() {
    std::random_device rd;
    char buf[9];
    std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(rd()));
    return buf;
}

// Names of committed messages (<id>.eml, <id>.json) in `dir`, split by extension.
void scan(const fs::path& dir, std::set<std::string>* eml, std::set<std::string>* json, std::vector<fs::path>* tmp) {
    std::error_code ec;
    for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
        std::string name = e.path().filename().string();
        if (name.starts_with(tmp_prefix)) {
            if (tmp) tmp->push_back(e.path());
            continue;
        }
        if (name.starts_with(".")) continue;
        std::string ext = e.path().extension().string();
        if (ext == ".eml" && eml) eml->insert(e.path().stem().string());
        if (ext == ".json" && json) json->insert(e.path().stem().string());
    }
}

}  // namespace

MessageStore::MessageStore(fs::path data_dir, CaptureMode mode)
    : dir_(std::move(data_dir)), mode_(mode), messages_dir_(dir_ / "messages"), instance_(random_hex8()) {
    if (mode_ != CaptureMode::disk) return;
    fs::create_directories(messages_dir_);
    // Only the first store on a directory cleans it: another live process may be mid-store().
    fs::path lock = messages_dir_ / ".lock";
    lock_fd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock_fd_ >= 0 && ::flock(lock_fd_, LOCK_EX | LOCK_NB) == 0) {
        recover();
    } else if (lock_fd_ >= 0) {
        ::close(lock_fd_);
        lock_fd_ = -1;
    }
}

MessageStore::~MessageStore() {
    if (lock_fd_ >= 0) ::close(lock_fd_);
}

void MessageStore::recover() {
    std::set<std::string> eml, json;
    std::vector<fs::path> tmp;
    scan(messages_dir_, &eml, &json, &tmp);
    std::error_code ec;
    for (const fs::path& p : tmp) fs::remove(p, ec);
    for (const std::string& id : json)
        if (!eml.contains(id)) fs::remove(messages_dir_ / (id + ".json"), ec);
    for (const std::string& id : eml)
        if (!json.contains(id)) fs::remove(messages_dir_ / (id + ".eml"), ec);
    fsync_dir(messages_dir_);
}

std::string MessageStore::next_id() {
    using namespace std::chrono;
    std::int64_t now_ms = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    std::lock_guard lock(mutex_);
    last_ms_ = std::max(last_ms_, now_ms);
    std::string stamp = format_utc_ms(system_clock::time_point{milliseconds(last_ms_)});
    // "2025-01-31T12:34:56.789Z" -> "20250131T123456789Z": sortable and safe as a file name.
    std::string compact;
    for (char c : stamp)
        if (c != '-' && c != ':' && c != '.') compact += c;
    char counter[16];
    std::snprintf(counter, sizeof counter, "%06llu", static_cast<unsigned long long>(++counter_ % 1000000));
    return compact + "-" + counter + "-" + instance_;
}

std::optional<std::string> MessageStore::store(MessageMeta meta, std::string_view content) {
    meta.id = next_id();
    meta.size = content.size();
    if (meta.received_at == std::chrono::system_clock::time_point{}) meta.received_at = std::chrono::system_clock::now();
    switch (mode_) {
    case CaptureMode::off: return meta.id;
    case CaptureMode::memory: {
        std::lock_guard lock(mutex_);
        std::string id = meta.id;
        memory_.push_back(StoredMessage{std::move(meta), std::string(content)});
        return id;
    }
    case CaptureMode::disk: break;
    }
    return store_on_disk(meta, content);
}

struct MessageStore::Commit {
    fs::path tmp_json, tmp_eml, final_json, final_eml;
    std::condition_variable wake;  // its batch is done, or it is first in line to lead the next
    bool done = false;
    bool ok = false;
    std::string error;
};

// Writes both files under temporary names, then joins a batch commit (see the header).
std::optional<std::string> MessageStore::store_on_disk(const MessageMeta& meta, std::string_view content) {
    const fs::path& dir = messages_dir_;
    Commit request;
    request.tmp_json = dir / (std::string(tmp_prefix) + meta.id + ".json");
    request.tmp_eml = dir / (std::string(tmp_prefix) + meta.id + ".eml");
    request.final_json = dir / (meta.id + ".json");
    request.final_eml = dir / (meta.id + ".eml");
    std::string error;
    bool ok = write_file(request.tmp_json, meta_to_json(meta), error) && write_file(request.tmp_eml, content, error);
    if (ok) {
        ok = commit(request);
        error = request.error;
    }
    if (ok) return meta.id;
    for (const fs::path& p : {request.final_eml, request.final_json, request.tmp_eml, request.tmp_json}) ::unlink(p.c_str());
    std::lock_guard lock(mutex_);
    last_error_ = error;
    return std::nullopt;
}

// Leader/follower: whoever finds no batch in progress takes everything queued (its own request
// included) and commits it; the others wait, and the first of those left queued leads the next
// batch. Each request has its own condition variable, so a finished batch wakes its members and
// the next leader only, not every thread still waiting for a later batch.
bool MessageStore::commit(Commit& request) {
    std::unique_lock lock(commit_mutex_);
    commit_queue_.push_back(&request);
    while (!request.done) {
        if (committing_) {
            request.wake.wait(lock);
            continue;
        }
        committing_ = true;
        std::vector<Commit*> batch;
        batch.swap(commit_queue_);
        lock.unlock();
        commit_batch(batch);
        lock.lock();
        committing_ = false;
        // Notified under the lock: a woken request cannot return (and free its Commit) before.
        for (Commit* c : batch) {
            c->done = true;
            if (c != &request) c->wake.notify_one();
        }
        if (!commit_queue_.empty()) commit_queue_.front()->wake.notify_one();
    }
    return request.ok;
}

// Barrier 1 (syncfs): every temporary file's data and inode, and its directory entry. Then the
// renames, json first so a visible .eml always has its .json. Barrier 2 (directory fsync): the
// renames. A failed barrier fails the whole batch (each store() then removes its files: 451).
void MessageStore::commit_batch(std::vector<Commit*>& batch) {
    auto fail_all = [&](const std::string& error) {
        for (Commit* c : batch) {
            c->ok = false;
            if (c->error.empty()) c->error = error;
        }
    };
    // Opened per batch: the directory may have been replaced since the last one.
    int dir_fd = ::open(messages_dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd < 0) {
        fail_all(errno_text("open", messages_dir_));
        return;
    }
    if (::syncfs(dir_fd) != 0) {
        fail_all(errno_text("syncfs", messages_dir_));
        ::close(dir_fd);
        return;
    }
    for (Commit* c : batch) {
        c->ok = true;
        if (::rename(c->tmp_json.c_str(), c->final_json.c_str()) != 0) {
            c->ok = false;
            c->error = errno_text("rename", c->final_json);
        } else if (::rename(c->tmp_eml.c_str(), c->final_eml.c_str()) != 0) {
            c->ok = false;
            c->error = errno_text("rename", c->final_eml);
        }
    }
    if (::fsync(dir_fd) != 0) fail_all(errno_text("fsync", messages_dir_));
    ::close(dir_fd);
}

std::vector<MessageMeta> MessageStore::list() const {
    std::vector<MessageMeta> out;
    if (mode_ == CaptureMode::memory) {
        std::lock_guard lock(mutex_);
        for (const StoredMessage& m : memory_) out.push_back(m.meta);
        return out;
    }
    if (mode_ != CaptureMode::disk) return out;
    std::set<std::string> eml;  // ordered: ids sort by arrival
    scan(messages_dir_, &eml, nullptr, nullptr);
    for (const std::string& id : eml) {
        std::optional<std::string> text = read_file(messages_dir_ / (id + ".json"));
        std::optional<MessageMeta> meta = text ? meta_from_json(*text) : std::nullopt;
        if (!meta) {
            // Removed since the scan, or a damaged metadata file: still list what exists.
            std::error_code ec;
            auto size = fs::file_size(messages_dir_ / (id + ".eml"), ec);
            if (ec) continue;
            meta.emplace();
            meta->size = size;
        }
        meta->id = id;
        out.push_back(std::move(*meta));
    }
    return out;
}

std::optional<StoredMessage> MessageStore::get(const std::string& id) const {
    if (mode_ == CaptureMode::memory) {
        std::lock_guard lock(mutex_);
        auto it = std::find_if(memory_.begin(), memory_.end(), [&](const StoredMessage& m) { return m.meta.id == id; });
        if (it == memory_.end()) return std::nullopt;
        return *it;
    }
    if (mode_ != CaptureMode::disk || !is_safe_file_id(id)) return std::nullopt;
    std::optional<std::string> content = read_file(messages_dir_ / (id + ".eml"));
    if (!content) return std::nullopt;
    std::optional<std::string> text = read_file(messages_dir_ / (id + ".json"));
    std::optional<MessageMeta> meta = text ? meta_from_json(*text) : std::nullopt;
    StoredMessage m{meta ? std::move(*meta) : MessageMeta{}, std::move(*content)};
    m.meta.id = id;
    if (!meta) m.meta.size = m.content.size();
    return m;
}

// The .eml goes first: once it is gone the message no longer exists, whatever happens next.
bool MessageStore::remove(const std::string& id) {
    if (mode_ == CaptureMode::memory) {
        std::lock_guard lock(mutex_);
        return std::erase_if(memory_, [&](const StoredMessage& m) { return m.meta.id == id; }) > 0;
    }
    if (mode_ != CaptureMode::disk || !is_safe_file_id(id)) return false;
    if (::unlink((messages_dir_ / (id + ".eml")).c_str()) != 0) return false;
    ::unlink((messages_dir_ / (id + ".json")).c_str());
    return true;
}

void MessageStore::clear() {
    if (mode_ == CaptureMode::memory) {
        std::lock_guard lock(mutex_);
        memory_.clear();
        return;
    }
    if (mode_ != CaptureMode::disk) return;
    std::set<std::string> eml;
    scan(messages_dir_, &eml, nullptr, nullptr);
    // Orphaned .json files are left to the next start's recovery: one may belong to a store()
    // between its two renames.
    for (const std::string& id : eml) remove(id);
}

std::string MessageStore::last_error() const {
    std::lock_guard lock(mutex_);
    return last_error_;
}

}  // namespace exosim::store
