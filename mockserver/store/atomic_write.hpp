#pragma once
// Replacing a file so that a reader sees either the old or the new content, never a torn one:
// a temporary file in the same directory, written and fsynced, then renamed over the target.
#include <sys/types.h>

#include <filesystem>
#include <string_view>

namespace exosim::store {

// Writes `data` to `path` atomically with permissions `mode` (for a new file). Throws
// std::runtime_error naming the file and the failing step; the temporary file is removed then.
void atomic_write(const std::filesystem::path& path, std::string_view data, mode_t mode = 0644);

}  // namespace exosim::store
