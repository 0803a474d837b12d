#pragma once
// An append-only file of text records, one per line, durable before append() returns. What the
// sign-in service keeps across restarts (refresh tokens and their revocations) goes here, through
// the identity::DurableLog adapter in app/identity_log.* (store does not depend on identity).
//
// Durability: a record is written with one write(2) of "<record>\n", then fdatasync'd. Concurrent
// appenders share one fdatasync (group commit, as MessageStore::commit does): whoever finds no
// sync in progress leads a batch covering every record written so far. A crash can leave a torn
// last line (no trailing newline); replay() ignores it and the next append starts on a new line.
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace exosim::store {

class Journal {
public:
    // Opens (creating) `path`; its directory must exist. Throws std::runtime_error naming the file.
    explicit Journal(std::filesystem::path path);
    ~Journal();
    Journal(const Journal&) = delete;
    Journal& operator=(const Journal&) = delete;

    // Durable when it returns. Throws std::invalid_argument for a record holding '\n' (it would
    // split into two records), std::runtime_error when the write or the sync fails.
    void append(std::string_view record);
    // Every complete record on disk, oldest first; a torn last line is left out.
    std::vector<std::string> replay() const;
    // Replaces the file with `records` atomically: temporary file, fsync, rename, directory fsync.
    void rewrite(const std::vector<std::string>& records);

    const std::filesystem::path& path() const { return path_; }
    // How many fdatasync calls append() made (tests check that concurrent appends share them).
    std::uint64_t syncs() const;

private:
    void open_for_append();
    void sync_through(std::uint64_t ticket, std::unique_lock<std::mutex>& lock);

    std::filesystem::path path_;
    mutable std::mutex mutex_;
    std::condition_variable synced_;
    int fd_ = -1;
    std::uint64_t written_ = 0;  // appends written (tickets handed out)
    std::uint64_t durable_ = 0;  // appends covered by a finished fdatasync
    bool syncing_ = false;
    std::string sync_error_;     // last failed sync, reported to the batch it covered
    std::uint64_t failed_through_ = 0;
    std::uint64_t syncs_ = 0;
};

}  // namespace exosim::store
