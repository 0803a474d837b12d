#include "oauth/token_cache.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "oauth/cache_file.hpp"

namespace exosim::client::oauth {
namespace {

TokenCache sample() {
    TokenCache c;
    c.authority = "https://login.microsoftonline.com/contoso.com";
    c.client_id = "0d3c5e7a-1b2f-4c6d-8e9a-3f5b7d9c1e33";
    c.scope = "https://outlook.office.com/SMTP.Send offline_access";
    c.account = "printer@contoso.com";
    c.access_token = "eyJ.a.b";
    c.expires_at = 1796472000;
    c.refresh_token = "0.AXYZ\"quoted\\";
    c.refreshed_at = 1796468400;
    return c;
}

void expect_same(const TokenCache& a, const TokenCache& b) {
    EXPECT_EQ(a.authority, b.authority);
    EXPECT_EQ(a.client_id, b.client_id);
    EXPECT_EQ(a.scope, b.scope);
    EXPECT_EQ(a.account, b.account);
    EXPECT_EQ(a.access_token, b.access_token);
    EXPECT_EQ(a.expires_at, b.expires_at);
    EXPECT_EQ(a.refresh_token, b.refresh_token);
    EXPECT_EQ(a.refreshed_at, b.refreshed_at);
}

TEST(TokenCache, RoundTrips) {
    std::string why;
    auto back = parse_cache(serialize_cache(sample()), why);
    ASSERT_TRUE(back) << why;
    expect_same(*back, sample());
    EXPECT_TRUE(back->matches(sample().authority, sample().client_id, sample().scope));
    EXPECT_FALSE(back->matches(sample().authority, sample().client_id, "https://outlook.office.com/SMTP.Send"));
}

TEST(TokenCache, FreshUntilTheRefreshMargin) {
    TokenCache c = sample();
    const std::int64_t limit = c.expires_at - refresh_margin.count();
    EXPECT_TRUE(access_token_fresh(c, limit - 1));
    EXPECT_FALSE(access_token_fresh(c, limit));  // exactly 5 minutes left: refresh now
    EXPECT_FALSE(access_token_fresh(c, limit + 1));
    c.access_token.clear();
    EXPECT_FALSE(access_token_fresh(c, 0));
}

TEST(TokenCache, SizeLimit) {
    std::string why;
    const std::string good = serialize_cache(sample());
    for (std::size_t size : {max_cache_bytes - 1, max_cache_bytes}) {
        std::string padded = good;
        padded.insert(0, size - good.size(), ' ');  // JSON allows leading whitespace
        EXPECT_TRUE(parse_cache(padded, why)) << size << ": " << why;
    }
    std::string over = good;
    over.insert(0, max_cache_bytes + 1 - good.size(), ' ');
    EXPECT_FALSE(parse_cache(over, why));
}

TEST(TokenCache, RefusesCorruptText) {
    std::string good = serialize_cache(sample());
    struct Case {
        std::string text;
        const char* why;
    };
    const Case cases[] = {
        {"", "not JSON"},
        {"{", "not JSON"},
        {"[]", "not a JSON object"},
        {"{}", "\"version\" is missing"},
        {R"({"version":2})", "version 2"},
        {R"({"version":"1"})", "\"version\" is missing or not an integer"},
        {good.substr(0, good.size() / 2), "not JSON"},
        {std::string(max_cache_bytes + 1, ' '), "larger than"},
    };
    for (const auto& c : cases) {
        std::string why;
        EXPECT_FALSE(parse_cache(c.text, why)) << c.text.substr(0, 40);
        EXPECT_NE(why.find(c.why), std::string::npos) << why;
    }
    // Each field missing or of the wrong type.
    for (const char* field : {"authority", "client_id", "scope", "account", "access_token", "expires_at", "refresh_token", "refreshed_at"}) {
        std::string text = good;
        const std::string key = std::string("\"") + field + "\":";
        text.replace(text.find(key), key.size(), "\"x\":");
        std::string why;
        EXPECT_FALSE(parse_cache(text, why)) << field;
        EXPECT_NE(why.find(field), std::string::npos) << why;
    }
}

// Every prefix of a good cache (a write cut short) is refused, never half-read.
TEST(TokenCache, EveryTruncationIsRefused) {
    const std::string good = serialize_cache(sample());
    const std::size_t end = good.rfind('}');
    for (std::size_t n = 0; n < end; ++n) {
        std::string why;
        EXPECT_FALSE(parse_cache(good.substr(0, n), why)) << n;
    }
}

class CacheFile : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() / ("exosim-cache-test-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir_);
        path_ = (dir_ / "tokens.json").string();
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::filesystem::path dir_;
    std::string path_;
};

TEST_F(CacheFile, MissingIsNoCache) { EXPECT_FALSE(load_cache(path_)); }

TEST_F(CacheFile, SavesAtomicallyWithPrivateMode) {
    save_cache(path_, sample());
    TokenCache newer = sample();
    newer.refresh_token = "0.newest";
    save_cache(path_, newer);
    auto back = load_cache(path_);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->refresh_token, "0.newest");
    EXPECT_EQ(std::filesystem::status(path_).permissions() & std::filesystem::perms::all,
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    // No temporary file is left behind.
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_), {}), 1);
}

TEST_F(CacheFile, CorruptIsAClearError) {
    std::ofstream(path_) << "{\"version\":1,\"authority\":";
    try {
        load_cache(path_);
        FAIL() << "no error";
    } catch (const CacheError& e) {
        EXPECT_NE(std::string(e.what()).find(path_ + ": corrupt (not JSON"), std::string::npos) << e.what();
    }
}

TEST_F(CacheFile, UnwritableDirectoryIsAClearError) {
    EXPECT_THROW(save_cache((dir_ / "no" / "such" / "dir.json").string(), sample()), CacheError);
}

}  // namespace
}  // namespace exosim::client::oauth
