#pragma once
// Where the sign-in service keeps what must survive a restart (refresh tokens, their revocations):
// an append-only log of text records (one JSON object each, no newline inside). The app backs it
// with store::Journal under <data-dir>/identity/; tests with memory. exosim::identity does no I/O.
#include <string>
#include <string_view>
#include <vector>

namespace exosim::identity {

class DurableLog {
public:
    virtual ~DurableLog() = default;
    // The record is on disk (fdatasync'd) when this returns; throws std::runtime_error when it is not.
    // Thread-safe: concurrent appends may be committed together.
    virtual void append(std::string_view record) = 0;
    // Every record appended so far (across restarts), oldest first; called once at start-up.
    virtual std::vector<std::string> replay() = 0;
    // Replaces the whole log with `records` atomically (compaction at start-up).
    virtual void rewrite(const std::vector<std::string>& records) = 0;
};

}  // namespace exosim::identity
