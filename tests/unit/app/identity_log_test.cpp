#include "app/identity_log.hpp"

#include <stdlib.h>

#include <fstream>

#include <gtest/gtest.h>

namespace exosim::app {
namespace {

namespace fs = std::filesystem;

TEST(JournalLog, ImplementsTheDurableLogContractAcrossRestarts) {
    std::string tmpl = (fs::temp_directory_path() / "exosim-idlog-XXXXXX").string();
    fs::path dir = ::mkdtemp(tmpl.data());
    const fs::path file = dir / "identity" / "refresh-tokens.log";  // directory created on demand
    {
        JournalLog log(file);
        identity::DurableLog& d = log;
        EXPECT_TRUE(d.replay().empty());
        d.append(R"({"rt":"a"})");
        d.append(R"({"rt":"b"})");
        EXPECT_THROW(d.append("two\nlines"), std::invalid_argument);
    }
    {
        JournalLog log(file);
        EXPECT_EQ(log.replay(), (std::vector<std::string>{R"({"rt":"a"})", R"({"rt":"b"})"}));
        log.rewrite({R"({"rt":"b"})"});
        log.append(R"({"rt":"c"})");
    }
    JournalLog log(file);
    EXPECT_EQ(log.replay(), (std::vector<std::string>{R"({"rt":"b"})", R"({"rt":"c"})"}));
    std::ifstream in(file);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(text, "{\"rt\":\"b\"}\n{\"rt\":\"c\"}\n");
    std::error_code ec;
    fs::remove_all(dir, ec);
}

}  // namespace
}  // namespace exosim::app
