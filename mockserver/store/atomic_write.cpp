#include "store/atomic_write.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <stdexcept>
#include <string>

namespace exosim::store {

namespace {

[[noreturn]] void fail(std::string_view step, const std::filesystem::path& path) {
    throw std::runtime_error("atomic_write: " + std::string(step) + " " + path.string() + ": " + std::strerror(errno));
}

void write_all(int fd, std::string_view data, const std::filesystem::path& path) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail("write", path);
        done += static_cast<std::size_t>(n);
    }
}

}  // namespace

void atomic_write(const std::filesystem::path& path, std::string_view data, mode_t mode) {
    // A unique temporary name per writer: two processes may write the same file at once.
    std::random_device rd;
    std::filesystem::path tmp = path;
    tmp += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(rd());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) fail("create", tmp);
    try {
        write_all(fd, data, tmp);
        if (::fsync(fd) != 0) fail("fsync", tmp);
    } catch (...) {
        ::close(fd);
        ::unlink(tmp.c_str());
        throw;
    }
    ::close(fd);
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int e = errno;
        ::unlink(tmp.c_str());
        errno = e;
        fail("rename", path);
    }
}

}  // namespace exosim::store
