#pragma once
// Durable capture of accepted messages: <dir>/messages/<id>.eml + <id>.json. On disk mode a message
// is fsync'ed (file and directory) before store() returns, and appears atomically (write to a
// temporary name, fsync, rename, fsync the directory): never half-present after a crash.
#include <chrono>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/envelope.hpp"

namespace exosim::store {

enum class CaptureMode { disk, memory, off };

struct MessageMeta {
    std::string id;  // filled by store()
    std::string session_id;
    std::string listener;
    std::string client_address;
    std::string seen_address;
    std::string tls_version;  // "none", "TLSv1.2", ...
    std::string tls_cipher;
    std::string auth_identity;
    std::string helo;
    core::Envelope envelope;
    std::size_t size = 0;
    std::chrono::system_clock::time_point received_at;
    // Policy annotations (e.g. {"deliver_after": "...", "spf": "pass"}) as a JSON object text.
    std::string annotations_json = "{}";
};

struct StoredMessage {
    MessageMeta meta;
    std::string content;
};

class MessageStore {
public:
    MessageStore(std::filesystem::path data_dir, CaptureMode mode);
    // Thread-safe. Returns the id, or nullopt when the write failed (the engine answers 451).
    std::optional<std::string> store(MessageMeta meta, std::string_view content);
    std::vector<MessageMeta> list() const;
    std::optional<StoredMessage> get(const std::string& id) const;
    bool remove(const std::string& id);
    void clear();
    CaptureMode mode() const { return mode_; }

private:
    std::filesystem::path dir_;
    CaptureMode mode_;
    mutable std::mutex mutex_;
    std::vector<StoredMessage> memory_;  // memory mode
    // ... implementation detail members may be added
};

}  // namespace exosim::store
