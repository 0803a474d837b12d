#include "store/message_store.hpp"

#include <stdlib.h>

#include <fstream>
#include <set>
#include <thread>

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include "support/temp_dir.hpp"

namespace exosim::store {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

using test::TempDir;

core::Path path(std::string local, std::string domain) {
    core::Path p;
    p.mailbox = {std::move(local), std::move(domain)};
    return p;
}

MessageMeta sample_meta() {
    MessageMeta m;
    m.session_id = "08DC1234ABCD5678";
    m.listener = "submission";
    m.client_address = "127.0.0.10";
    m.seen_address = "203.0.113.10";
    m.tls_version = "TLSv1.3";
    m.tls_cipher = "TLS_AES_256_GCM_SHA384";
    m.auth_identity = "printer@contoso.com";
    m.helo = "printer.contoso.com";
    m.envelope.reverse_path = path("printer", "contoso.com");
    m.envelope.params.size = 1234;
    m.envelope.params.body = core::Body::eight_bit_mime;
    m.envelope.params.envid = "QQ314159";
    m.envelope.raw_mail_params = {{"SIZE", "1234"}, {"BODY", "8BITMIME"}, {"ENVID", "QQ314159"}};
    core::Recipient r;
    r.path = path("alice", "contoso.com");
    r.params.notify = "SUCCESS,FAILURE";
    r.params.orcpt = "rfc822;alice@contoso.com";
    m.envelope.recipients.push_back(r);
    r.path = path("bob", "fabrikam.com");
    r.params = {};
    m.envelope.recipients.push_back(r);
    m.annotations_json = R"({"spf":"pass","deliver_after":"2025-01-01T00:00:00Z"})";
    return m;
}

using namespace std::string_literals;
const std::string sample_content = "Subject: hi\r\n\r\nbody\r\n\x00\x01\xff bytes\r\n"s;

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void touch(const fs::path& p, std::string_view text = "x") { std::ofstream(p, std::ios::binary) << text; }

TEST(MessageStore, DiskRoundTrip) {
    TempDir dir;
    MessageStore store(dir.path(), CaptureMode::disk);
    auto id = store.store(sample_meta(), sample_content);
    ASSERT_TRUE(id);
    EXPECT_EQ(slurp(dir.path() / "messages" / (*id + ".eml")), sample_content);
    EXPECT_TRUE(fs::exists(dir.path() / "messages" / (*id + ".json")));

    auto got = store.get(*id);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->content, sample_content);
    const MessageMeta want = sample_meta();
    EXPECT_EQ(got->meta.id, *id);
    EXPECT_EQ(got->meta.session_id, want.session_id);
    EXPECT_EQ(got->meta.seen_address, want.seen_address);
    EXPECT_EQ(got->meta.tls_version, want.tls_version);
    EXPECT_EQ(got->meta.tls_cipher, want.tls_cipher);
    EXPECT_EQ(got->meta.auth_identity, want.auth_identity);
    EXPECT_EQ(got->meta.helo, want.helo);
    EXPECT_EQ(got->meta.envelope.reverse_path, want.envelope.reverse_path);
    EXPECT_EQ(got->meta.envelope.params, want.envelope.params);
    EXPECT_EQ(got->meta.envelope.raw_mail_params, want.envelope.raw_mail_params);
    ASSERT_EQ(got->meta.envelope.recipients.size(), 2u);
    EXPECT_EQ(got->meta.envelope.recipients[0].path, want.envelope.recipients[0].path);
    EXPECT_EQ(got->meta.envelope.recipients[0].params, want.envelope.recipients[0].params);
    EXPECT_EQ(got->meta.envelope.recipients[1].params, want.envelope.recipients[1].params);
    EXPECT_EQ(got->meta.size, sample_content.size());
    EXPECT_NE(got->meta.received_at, std::chrono::system_clock::time_point{});
    EXPECT_EQ(json::parse(got->meta.annotations_json), json::parse(want.annotations_json));

    auto all = store.list();
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].id, *id);
}

TEST(MessageStore, JsonDocumentShape) {
    MessageMeta m = sample_meta();
    m.id = "X";
    m.size = 42;
    m.received_at = std::chrono::system_clock::time_point{std::chrono::milliseconds(1700000000123)};
    json::object o = json::parse(meta_to_json(m)).as_object();
    EXPECT_EQ(o.at("received_at"), "2023-11-14T22:13:20.123Z");
    EXPECT_EQ(o.at("tls").at("version"), "TLSv1.3");
    const json::object& env = o.at("envelope").as_object();
    EXPECT_EQ(env.at("mail_from"), "printer@contoso.com");
    EXPECT_EQ(env.at("params").at("size"), 1234);
    EXPECT_EQ(env.at("params").at("body"), "8BITMIME");
    EXPECT_EQ(env.at("params").at("ret"), nullptr);
    EXPECT_EQ(env.at("params").at("raw").as_array().size(), 3u);
    EXPECT_EQ(env.at("rcpt_to").at(0).at("notify"), "SUCCESS,FAILURE");
    EXPECT_EQ(env.at("rcpt_to").at(1).at("orcpt"), nullptr);
    EXPECT_EQ(env.at("via_bdat"), false);
    EXPECT_EQ(o.at("annotations").at("spf"), "pass");

    m.annotations_json = "not json";
    m.auth_identity.clear();
    m.envelope.reverse_path = core::Path{.null = true, .mailbox = {}};
    o = json::parse(meta_to_json(m)).as_object();
    EXPECT_EQ(o.at("annotations").at("invalid_annotations"), "not json");
    EXPECT_EQ(o.at("auth_identity"), nullptr);
    EXPECT_EQ(o.at("envelope").at("mail_from"), "");
    auto back = meta_from_json(meta_to_json(m));
    ASSERT_TRUE(back);
    EXPECT_TRUE(back->envelope.reverse_path.null);
}

TEST(MessageStore, InvalidUtf8KeepsJsonValidAndContentExact) {
    TempDir dir;
    MessageStore store(dir.path(), CaptureMode::disk);
    MessageMeta m = sample_meta();
    m.helo = "bad\xff\xfehelo";
    m.envelope.reverse_path = path("caf\xe9", "example.org");
    m.envelope.raw_mail_params.push_back({"X-\xc0\xaf", "\xed\xa0\x80"});  // overlong '/', surrogate
    m.annotations_json = "{\"note\":\"\xff\"}";
    const std::string content = "Subject: \xe9t\xe9\r\n\r\n\x80\x81\xff\xfe\r\n";
    auto id = store.store(m, content);
    ASSERT_TRUE(id);
    std::string text = slurp(dir.path() / "messages" / (*id + ".json"));
    json::error_code ec;
    json::value v = json::parse(text, ec);
    ASSERT_FALSE(ec) << text;
    EXPECT_EQ(v.at("helo"), "bad\xef\xbf\xbd\xef\xbf\xbdhelo");  // one U+FFFD per bad lead byte
    EXPECT_EQ(v.at("envelope").at("mail_from"), "caf\xef\xbf\xbd@example.org");
    EXPECT_TRUE(v.at("annotations").as_object().contains("invalid_annotations"));
    auto got = store.get(*id);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->content, content);
}

TEST(MessageStore, IdsSortByArrivalAndAreUnique) {
    TempDir dir;
    MessageStore store(dir.path(), CaptureMode::disk);
    std::vector<std::string> ids;
    for (int i = 0; i < 30; ++i) ids.push_back(*store.store(sample_meta(), "m" + std::to_string(i)));
    EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
    auto all = store.list();
    ASSERT_EQ(all.size(), ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(all[i].id, ids[i]);
    for (const std::string& id : ids) EXPECT_EQ(id.find_first_not_of("0123456789TZabcdef-"), std::string::npos) << id;
}

TEST(MessageStore, RestartKeepsMessages) {
    TempDir dir;
    std::string first, second;
    {
        MessageStore store(dir.path(), CaptureMode::disk);
        first = *store.store(sample_meta(), "one");
        second = *store.store(sample_meta(), "two");
    }
    MessageStore store(dir.path(), CaptureMode::disk);
    auto all = store.list();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].id, first);
    EXPECT_EQ(all[1].id, second);
    EXPECT_EQ(store.get(second)->content, "two");
    EXPECT_EQ(all[0].session_id, "08DC1234ABCD5678");
}

TEST(MessageStore, StartupRemovesLeftoversOfInterruptedStores) {
    TempDir dir;
    std::string kept;
    {
        MessageStore store(dir.path(), CaptureMode::disk);
        kept = *store.store(sample_meta(), "kept");
    }
    fs::path m = dir.path() / "messages";
    touch(m / ".tmp-20250101T000000000Z-000001-deadbeef.json");
    touch(m / ".tmp-20250101T000000000Z-000001-deadbeef.eml");
    touch(m / "20250101T000000000Z-000002-deadbeef.json", "{}");  // renamed json, eml never came
    touch(m / "20250101T000000000Z-000003-deadbeef.eml");         // no metadata: never acknowledged
    MessageStore store(dir.path(), CaptureMode::disk);
    std::set<std::string> names;
    for (const auto& e : fs::directory_iterator(m)) names.insert(e.path().filename().string());
    EXPECT_EQ(names, (std::set<std::string>{".lock", kept + ".eml", kept + ".json"}));
    ASSERT_EQ(store.list().size(), 1u);
}

TEST(MessageStore, SecondStoreOnLiveDirectoryDoesNotClean) {
    TempDir dir;
    MessageStore first(dir.path(), CaptureMode::disk);
    fs::path in_flight = dir.path() / "messages" / ".tmp-in-flight.eml";
    touch(in_flight);
    MessageStore second(dir.path(), CaptureMode::disk);  // another process would hold the lock
    EXPECT_TRUE(fs::exists(in_flight));
    EXPECT_TRUE(second.store(sample_meta(), "x"));
    EXPECT_EQ(first.list().size(), 1u);
}

TEST(MessageStore, RemoveAndClear) {
    TempDir dir;
    MessageStore store(dir.path(), CaptureMode::disk);
    std::string a = *store.store(sample_meta(), "a");
    std::string b = *store.store(sample_meta(), "b");
    store.store(sample_meta(), "c");
    EXPECT_TRUE(store.remove(a));
    EXPECT_FALSE(store.remove(a));
    EXPECT_FALSE(store.get(a));
    EXPECT_FALSE(fs::exists(dir.path() / "messages" / (a + ".json")));
    EXPECT_EQ(store.list().size(), 2u);
    EXPECT_EQ(store.get(b)->content, "b");
    store.clear();
    EXPECT_TRUE(store.list().empty());
}

TEST(MessageStore, RejectsUnsafeIds) {
    TempDir dir;
    MessageStore store(dir.path(), CaptureMode::disk);
    touch(dir.path() / "secret.eml");
    EXPECT_FALSE(store.get("../secret"));
    EXPECT_FALSE(store.remove("../secret"));
    EXPECT_FALSE(store.get(".lock"));
    EXPECT_TRUE(fs::exists(dir.path() / "secret.eml"));
}

// Concurrent stores share batch commits (leader/follower): every one returns its own id, every
// message is complete under its final name, and no temporary file is left behind.
TEST(MessageStore, ConcurrentStoresShareBatchCommits) {
    TempDir dir;
    MessageStore store(dir.path(), CaptureMode::disk);
    constexpr int threads_n = 16, per_thread = 10;
    std::vector<std::thread> threads;
    std::vector<std::vector<std::string>> ids(threads_n);
    for (int t = 0; t < threads_n; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < per_thread; ++i)
                ids[t].push_back(store.store(sample_meta(), "body " + std::to_string(t) + "/" + std::to_string(i)).value_or(""));
        });
    for (auto& th : threads) th.join();
    std::set<std::string> unique;
    for (auto& v : ids) unique.insert(v.begin(), v.end());
    EXPECT_EQ(unique.size(), std::size_t(threads_n * per_thread));
    EXPECT_FALSE(unique.contains(""));
    EXPECT_EQ(store.list().size(), std::size_t(threads_n * per_thread));
    for (int t = 0; t < threads_n; ++t)
        for (int i = 0; i < per_thread; ++i)
            EXPECT_EQ(store.get(ids[t][i])->content, "body " + std::to_string(t) + "/" + std::to_string(i));
    for (const auto& e : fs::directory_iterator(dir.path() / "messages"))
        EXPECT_FALSE(e.path().filename().string().starts_with(".tmp-")) << e.path();
}

TEST(MessageStore, WriteFailureReturnsNulloptAndLeavesNothing) {
    TempDir dir;
    MessageStore store(dir.path(), CaptureMode::disk);
    // The directory vanishes under the store and a file takes its name: every create fails
    // (works as root too, unlike permission bits).
    fs::remove_all(dir.path() / "messages");
    touch(dir.path() / "messages");
    EXPECT_FALSE(store.store(sample_meta(), "x"));
    EXPECT_NE(store.last_error().find("create"), std::string::npos) << store.last_error();
    EXPECT_TRUE(store.list().empty());
    fs::remove(dir.path() / "messages");
    fs::create_directories(dir.path() / "messages");
    EXPECT_TRUE(store.store(sample_meta(), "x"));
    EXPECT_EQ(store.list().size(), 1u);
}

TEST(MessageStore, MemoryMode) {
    TempDir dir;
    MessageStore store(dir.path(), CaptureMode::memory);
    std::string a = *store.store(sample_meta(), sample_content);
    std::string b = *store.store(sample_meta(), "b");
    EXPECT_FALSE(fs::exists(dir.path() / "messages"));
    auto all = store.list();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].id, a);
    EXPECT_EQ(all[0].size, sample_content.size());
    EXPECT_EQ(store.get(a)->content, sample_content);
    EXPECT_TRUE(store.remove(a));
    EXPECT_FALSE(store.get(a));
    EXPECT_TRUE(store.get(b));
    store.clear();
    EXPECT_TRUE(store.list().empty());
}

TEST(MessageStore, OffModeKeepsNothing) {
    TempDir dir;
    MessageStore store(dir.path(), CaptureMode::off);
    auto id = store.store(sample_meta(), "x");
    ASSERT_TRUE(id);
    EXPECT_FALSE(id->empty());
    EXPECT_TRUE(store.list().empty());
    EXPECT_FALSE(store.get(*id));
    EXPECT_FALSE(fs::exists(dir.path() / "messages"));
}

}  // namespace
}  // namespace exosim::store
