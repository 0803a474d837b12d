#include "oauth/cache_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace exosim::client::oauth {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) {
    throw CacheError("token cache " + path + ": " + what);
}

std::string errno_text() { return std::strerror(errno); }

void write_all(int fd, const std::string& text, const std::string& path) {
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) fail(path, "write failed: " + errno_text());
        done += static_cast<std::size_t>(n);
    }
}

void sync_directory(const std::string& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd < 0) return;  // some file systems refuse: the rename itself is still atomic
    ::fsync(fd);
    ::close(fd);
}

}  // namespace

std::optional<TokenCache> load_cache(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) {
        if (errno == ENOENT) return std::nullopt;
        fail(path, "cannot open: " + errno_text());
    }
    std::string text;
    char buf[4096];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            ::close(fd);
            fail(path, "cannot read: " + errno_text());
        }
        if (n == 0) break;
        text.append(buf, static_cast<std::size_t>(n));
        if (text.size() > max_cache_bytes) break;  // parse_cache refuses it with the reason
    }
    ::close(fd);
    std::string why;
    std::optional<TokenCache> cache = parse_cache(text, why);
    if (!cache) fail(path, "corrupt (" + why + "); delete it to sign in again");
    return cache;
}

void save_cache(const std::string& path, const TokenCache& cache) {
    const std::filesystem::path target(path);
    const std::string dir = target.has_parent_path() ? target.parent_path().string() : ".";
    std::string temp = (std::filesystem::path(dir) / ("." + target.filename().string() + ".XXXXXX")).string();
    const int fd = ::mkstemp(temp.data());
    if (fd < 0) fail(path, "cannot create a temporary file in " + dir + ": " + errno_text());
    ::fchmod(fd, 0600);
    try {
        write_all(fd, serialize_cache(cache), path);
        if (::fsync(fd) != 0) fail(path, "fsync failed: " + errno_text());
    } catch (...) {
        ::close(fd);
        ::unlink(temp.c_str());
        throw;
    }
    ::close(fd);
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        const std::string why = errno_text();
        ::unlink(temp.c_str());
        fail(path, "rename failed: " + why);
    }
    sync_directory(dir);
}

}  // namespace exosim::client::oauth
