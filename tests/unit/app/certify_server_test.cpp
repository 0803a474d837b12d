#include "app/certify_server.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace exosim::app {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

std::string read(const fs::path& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(SeedTlsDir, CopiesCertificatesAndKeysButNotTheLock) {
    const fs::path root = fs::temp_directory_path() / ("exosim-seed-" + std::to_string(::getpid()));
    fs::remove_all(root);
    const fs::path from = root / "tls", to = root / "worker-1" / "tls";
    fs::create_directories(from);
    write(from / "ca.pem", "CA");
    write(from / "ca.key", "CAKEY");
    write(from / "smtp.office365.com.expired.pem", "LEAF");
    write(from / ".lock", "");
    write(from / "notes.txt", "x");
    seed_tls_dir(from, to);
    EXPECT_EQ(read(to / "ca.pem"), "CA");
    EXPECT_EQ(read(to / "ca.key"), "CAKEY");
    EXPECT_EQ(read(to / "smtp.office365.com.expired.pem"), "LEAF");
    EXPECT_FALSE(fs::exists(to / ".lock"));
    EXPECT_FALSE(fs::exists(to / "notes.txt"));
    EXPECT_EQ(fs::status(to).permissions() & fs::perms::all, fs::perms::owner_all);
    write(from / "ca.pem", "CA2");
    seed_tls_dir(from, to);  // again: overwritten, no error
    EXPECT_EQ(read(to / "ca.pem"), "CA2");
    fs::remove_all(root);
}

}  // namespace
}  // namespace exosim::app
