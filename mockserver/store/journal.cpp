#include "store/journal.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace exosim::store {

namespace fs = std::filesystem;

namespace {

std::string errno_text(const std::string& what, const fs::path& p) {
    return "journal: " + what + " " + p.string() + ": " + std::strerror(errno);
}

bool write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

void fsync_dir(const fs::path& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error(errno_text("open directory", dir));
    bool ok = ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) throw std::runtime_error(errno_text("fsync directory", dir));
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Complete lines only: the text after the last '\n' is a record a crash cut short.
std::vector<std::string> complete_lines(std::string_view text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    for (std::size_t nl; (nl = text.find('\n', start)) != std::string_view::npos; start = nl + 1)
        lines.emplace_back(text.substr(start, nl - start));
    return lines;
}

fs::path parent_of(const fs::path& p) { return p.has_parent_path() ? p.parent_path() : fs::path("."); }

}  // namespace

Journal::Journal(fs::path path) : path_(std::move(path)) { open_for_append(); }

Journal::~Journal() {
    if (fd_ >= 0) ::close(fd_);
}

// A torn tail (never acknowledged: its append did not return) is cut off, so the next record
// starts on a line of its own.
void Journal::open_for_append() {
    int fd = ::open(path_.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error(errno_text("open", path_));
    std::string text = read_file(path_);
    std::size_t keep = text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1;
    if (keep != text.size() && (::ftruncate(fd, static_cast<off_t>(keep)) != 0 || ::fdatasync(fd) != 0)) {
        std::string error = errno_text("truncate torn record in", path_);
        ::close(fd);
        throw std::runtime_error(error);
    }
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
}

void Journal::append(std::string_view record) {
    if (record.find('\n') != std::string_view::npos)
        throw std::invalid_argument("journal: a record must not contain a newline");
    std::string line;
    line.reserve(record.size() + 1);
    line.append(record).push_back('\n');
    std::unique_lock lock(mutex_);
    if (!sync_error_.empty()) throw std::runtime_error(sync_error_);
    if (!write_all(fd_, line)) {
        // Part of the line may be on disk: the journal is no longer trustworthy until reopened.
        sync_error_ = errno_text("write", path_);
        throw std::runtime_error(sync_error_);
    }
    sync_through(++written_, lock);
}

// Leader/follower group commit: the first appender that finds no sync running syncs everything
// written so far; the others wait until a finished sync covers their ticket. After a failed sync
// the journal refuses every later append (the page cache state is unknown, as PostgreSQL learnt
// from fsync errors).
void Journal::sync_through(std::uint64_t ticket, std::unique_lock<std::mutex>& lock) {
    while (durable_ < ticket) {
        if (!sync_error_.empty()) throw std::runtime_error(sync_error_);
        if (syncing_) {
            synced_.wait(lock);
            continue;
        }
        syncing_ = true;
        const std::uint64_t target = written_;
        const int fd = fd_;
        lock.unlock();
        const bool ok = ::fdatasync(fd) == 0;
        const std::string error = ok ? std::string() : errno_text("fdatasync", path_);
        lock.lock();
        syncing_ = false;
        ++syncs_;
        if (ok) durable_ = target;
        else sync_error_ = error;
        synced_.notify_all();
    }
}

std::vector<std::string> Journal::replay() const {
    std::lock_guard lock(mutex_);
    return complete_lines(read_file(path_));
}

void Journal::rewrite(const std::vector<std::string>& records) {
    std::string text;
    for (const std::string& r : records) {
        if (r.find('\n') != std::string::npos) throw std::invalid_argument("journal: a record must not contain a newline");
        text.append(r).push_back('\n');
    }
    std::unique_lock lock(mutex_);
    if (!sync_error_.empty()) throw std::runtime_error(sync_error_);  // broken until reopened
    // Records already written are synced first, so none is acknowledged into the replaced file.
    synced_.wait(lock, [this] { return !syncing_ && (durable_ == written_ || !sync_error_.empty()); });
    fs::path tmp = path_;
    tmp += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(std::random_device{}());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error(errno_text("create", tmp));
    bool ok = write_all(fd, text) && ::fsync(fd) == 0;
    std::string error = ok ? std::string() : errno_text("write", tmp);
    ::close(fd);
    if (ok && ::rename(tmp.c_str(), path_.c_str()) != 0) {
        ok = false;
        error = errno_text("rename", path_);
    }
    if (!ok) {
        ::unlink(tmp.c_str());
        throw std::runtime_error(error);
    }
    fsync_dir(parent_of(path_));
    open_for_append();  // appends go to the new file, not the unlinked old one
}

std::uint64_t Journal::syncs() const {
    std::lock_guard lock(mutex_);
    return syncs_;
}

}  // namespace exosim::store
