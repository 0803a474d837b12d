// The routes over real stores and registries and fake runtime/slot services: no sockets.
#include "control/routes.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "scenario/json_io.hpp"

namespace exosim::control {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

struct FakeRuntime {
    bool is_virtual = true;
    std::chrono::system_clock::time_point now{std::chrono::sys_days{std::chrono::January / 1 / 2025}};
    json::value tenants = json::parse(R"([{"domain": "contoso.com", "smtp_auth_disabled": false}])");
    int resets = 0;
};

struct FakeSlot {
    std::shared_ptr<const scenario::Scenario> armed;
};

class RoutesTest : public ::testing::Test {
protected:
    RoutesTest() : store(std::filesystem::temp_directory_path(), store::CaptureMode::memory) {}

    void SetUp() override {
        ControlServices s;
        s.version = "9.9.9";
        s.store = &store;
        s.registry = &registry;
        s.capture = store::CaptureMode::memory;
        s.config = [] { return json::parse(R"({"capture": "memory", "exchange": {"auth_tarpit": 5}, "listeners": []})"); };
        s.patch_config = [](const json::object& patch) {
            if (!patch.contains("exchange")) throw ApiError(409, "immutable", "only exchange");
        };
        s.tenants = [this] { return rt.tenants; };
        s.patch_tenant = [this](const std::string&, const json::value& patch) {
            if (patch.as_object().contains("bogus")) throw std::invalid_argument("bogus: unknown key");
            rt.tenants.as_array()[0].as_object()["smtp_auth_disabled"] = patch.at("smtp_auth_disabled");
        };
        s.virtual_clock = [this] { return rt.is_virtual; };
        s.now = [this] { return rt.now; };
        s.advance_clock = [this](std::chrono::seconds by) { rt.now += by; };
        s.mint_token = [](const std::string& user, std::chrono::seconds ttl, const std::string& aud) {
            return "tok:" + user + ":" + std::to_string(ttl.count()) + ":" + aud;
        };
        s.reset_runtime = [this] { ++rt.resets; };
        s.arm_scenario = [this](std::shared_ptr<const scenario::Scenario> sc) { slot.armed = std::move(sc); };
        s.clear_scenario = [this] { slot.armed.reset(); };
        s.armed_scenario = [this] { return slot.armed; };
        s.scenario_connections = [] { return std::size_t{2}; };
        s.judge_scenario = [] { return scenario::Findings{}; };
        ctx = std::make_unique<RouteContext>(std::move(s));
        router = make_router(*ctx);
        registry.subscribe(std::shared_ptr<transport::SessionObserver>(std::shared_ptr<void>(), &ctx->sessions));
    }

    ApiResponse call(Method m, const std::string& target, std::string body = {}) {
        ApiRequest r;
        r.method = m;
        EXPECT_TRUE(split_target(target, r.path, r.query));
        r.body = std::move(body);
        return router.dispatch(std::move(r));
    }
    json::value body(const ApiResponse& r) { return json::parse(r.body); }
    std::string code(const ApiResponse& r) { return std::string(body(r).at("error").at("code").as_string()); }

    std::string add_message(const std::string& from, const std::string& to, const std::string& content,
                            const std::string& session = "S1") {
        store::MessageMeta meta;
        meta.session_id = session;
        meta.envelope.reverse_path = core::Path{};
        meta.envelope.reverse_path.null = false;
        meta.envelope.reverse_path.mailbox.local_part = from.substr(0, from.find('@'));
        meta.envelope.reverse_path.mailbox.domain = from.substr(from.find('@') + 1);
        core::Recipient r;
        r.path.mailbox.local_part = to.substr(0, to.find('@'));
        r.path.mailbox.domain = to.substr(to.find('@') + 1);
        meta.envelope.recipients.push_back(r);
        return *store.store(meta, content);
    }

    store::MessageStore store;
    transport::SessionRegistry registry;
    FakeRuntime rt;
    FakeSlot slot;
    std::unique_ptr<RouteContext> ctx;
    Router router;
};

TEST_F(RoutesTest, HealthAndVersion) {
    EXPECT_EQ(body(call(Method::get, "/api/v1/health")).at("status"), "ok");
    EXPECT_EQ(body(call(Method::get, "/api/v1/version")).at("version"), "9.9.9");
}

TEST_F(RoutesTest, ConfigPatchIsMergedAndChecked) {
    EXPECT_EQ(code(call(Method::patch, "/api/v1/config", R"({"nonsense": 1})")), "unknown_field");
    EXPECT_EQ(call(Method::patch, "/api/v1/config", R"({"capture": "disk"})").status, 409);
    EXPECT_EQ(code(call(Method::patch, "/api/v1/config", "{not json")), "bad_json");
    EXPECT_EQ(code(call(Method::patch, "/api/v1/config", "")), "empty_body");
    ApiResponse ok = call(Method::patch, "/api/v1/config", R"({"exchange": {"auth_tarpit": 0}})");
    ASSERT_EQ(ok.status, 200);
    EXPECT_EQ(body(call(Method::get, "/api/v1/config")).at("exchange").at("auth_tarpit"), 0);
}

TEST_F(RoutesTest, ClockAdvance) {
    EXPECT_EQ(body(call(Method::get, "/api/v1/clock")).at("now"), "2025-01-01T00:00:00.000Z");
    ApiResponse r = call(Method::post, "/api/v1/clock/advance", R"({"seconds": 86400})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(body(r).at("now"), "2025-01-02T00:00:00.000Z");
    EXPECT_EQ(code(call(Method::post, "/api/v1/clock/advance", R"({"seconds": 0})")), "bad_field");
    EXPECT_EQ(code(call(Method::post, "/api/v1/clock/advance", R"({"seconds": "60"})")), "bad_field");
    EXPECT_EQ(code(call(Method::post, "/api/v1/clock/advance", R"({})")), "missing_field");
    EXPECT_EQ(code(call(Method::post, "/api/v1/clock/advance", R"({"seconds": 1, "x": 1})")), "unknown_field");
    rt.is_virtual = false;
    ApiResponse real = call(Method::post, "/api/v1/clock/advance", R"({"seconds": 60})");
    EXPECT_EQ(real.status, 409);
    EXPECT_EQ(code(real), "real_clock");
}

TEST_F(RoutesTest, Tokens) {
    ApiResponse r = call(Method::post, "/api/v1/tokens", R"({"user": "printer@contoso.com", "ttl": 60})");
    ASSERT_EQ(r.status, 201);
    EXPECT_EQ(body(r).at("token"), "tok:printer@contoso.com:60:https://outlook.office.com");
    EXPECT_EQ(body(r).at("expires_at"), "2025-01-01T00:01:00.000Z");
    EXPECT_EQ(code(call(Method::post, "/api/v1/tokens", R"({"ttl": 60})")), "missing_field");
    EXPECT_EQ(code(call(Method::post, "/api/v1/tokens", R"({"user": "a", "ttl": -1})")), "bad_field");
}

TEST_F(RoutesTest, Tenants) {
    EXPECT_EQ(body(call(Method::get, "/api/v1/tenants/contoso.com")).at("domain"), "contoso.com");
    EXPECT_EQ(call(Method::get, "/api/v1/tenants/nowhere.example").status, 404);
    EXPECT_EQ(call(Method::patch, "/api/v1/tenants/nowhere.example", R"({"smtp_auth_disabled": true})").status, 404);
    ApiResponse bad = call(Method::patch, "/api/v1/tenants/contoso.com", R"({"bogus": 1})");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(body(bad).at("error").at("message"), "tenant: bogus: unknown key");
    ApiResponse ok = call(Method::patch, "/api/v1/tenants/contoso.com", R"({"smtp_auth_disabled": true})");
    ASSERT_EQ(ok.status, 200);
    EXPECT_EQ(body(ok).at("smtp_auth_disabled"), true);
}

TEST_F(RoutesTest, MessagesListFilterFetchDelete) {
    const std::string a = add_message("printer@contoso.com", "alice@contoso.com",
                                      "Subject: one\r\nContent-Type: text/plain\r\n\r\nhello\r\n");
    const std::string b = add_message("app@contoso.com", "bob@contoso.com", "Subject: two\r\n\r\nx\r\n", "S2");
    json::value all = body(call(Method::get, "/api/v1/messages"));
    ASSERT_EQ(all.at("count"), 2);
    EXPECT_EQ(all.at("messages").at(0).at("id").as_string(), b);  // newest first
    EXPECT_EQ(body(call(Method::get, "/api/v1/messages?to=ALICE%40contoso.com")).at("count"), 1);
    EXPECT_EQ(body(call(Method::get, "/api/v1/messages?from=app@contoso.com")).at("count"), 1);
    EXPECT_EQ(body(call(Method::get, "/api/v1/messages?session=S2")).at("messages").at(0).at("id").as_string(), b);
    EXPECT_EQ(body(call(Method::get, "/api/v1/messages?since=" + a)).at("count"), 1);
    EXPECT_EQ(body(call(Method::get, "/api/v1/messages?limit=1")).at("count"), 1);
    EXPECT_EQ(code(call(Method::get, "/api/v1/messages?colour=red")), "bad_query");
    EXPECT_EQ(code(call(Method::get, "/api/v1/messages?since=not%20a%20time")), "bad_query");

    json::value one = body(call(Method::get, "/api/v1/messages/" + a));
    EXPECT_EQ(one.at("mime").at("text"), "hello\r\n");
    EXPECT_EQ(one.at("mime").at("headers").at(0).at("value"), "one");
    ApiResponse raw = call(Method::get, "/api/v1/messages/" + a + "/raw");
    EXPECT_EQ(raw.content_type, "message/rfc822");
    EXPECT_EQ(raw.body, "Subject: one\r\nContent-Type: text/plain\r\n\r\nhello\r\n");

    EXPECT_EQ(call(Method::get, "/api/v1/messages/nope").status, 404);
    EXPECT_EQ(call(Method::get, "/api/v1/messages/..%2Fetc").status, 404);
    EXPECT_EQ(call(Method::delete_, "/api/v1/messages/" + a).status, 200);
    EXPECT_EQ(call(Method::delete_, "/api/v1/messages/" + a).status, 404);
    EXPECT_EQ(body(call(Method::delete_, "/api/v1/messages")).at("deleted"), 1);
    EXPECT_EQ(body(call(Method::get, "/api/v1/messages")).at("count"), 0);
}

transport::SessionRecord session(const std::string& id) {
    transport::SessionRecord r;
    r.id = id;
    r.listener = "submission";
    r.started = std::chrono::system_clock::now();
    return r;
}

TEST_F(RoutesTest, SessionsAndMemoryTranscripts) {
    transport::SessionRecord r = session("00000000000000AA");
    registry.started(r);
    registry.event(r, {5ms, transport::WireChunk{transport::Direction::in, "EHLO x\r\n", false}});
    registry.event(r, {6ms, core::Event{core::CommandReceived{core::Verb::ehlo, "EHLO x"}}});
    registry.event(r, {7ms, transport::WireChunk{transport::Direction::out, "250 ok\r\n", false}});
    r.ended = std::chrono::system_clock::now();
    r.close_reason = transport::CloseReason::closed;
    registry.ended(r);

    json::value list = body(call(Method::get, "/api/v1/sessions"));
    ASSERT_EQ(list.at("count"), 1);
    EXPECT_EQ(list.at("sessions").at(0).at("close_reason"), "closed");
    EXPECT_EQ(body(call(Method::get, "/api/v1/sessions?active=true")).at("count"), 0);
    EXPECT_EQ(code(call(Method::get, "/api/v1/sessions?active=maybe")), "bad_query");
    EXPECT_EQ(body(call(Method::get, "/api/v1/sessions/00000000000000AA")).at("listener"), "submission");
    EXPECT_EQ(call(Method::get, "/api/v1/sessions/FFFF").status, 404);

    json::value t = body(call(Method::get, "/api/v1/sessions/00000000000000AA/transcript"));
    const json::array& records = t.at("records").as_array();
    ASSERT_EQ(records.size(), 5u);  // session, in, command, out, close
    EXPECT_EQ(records[1].at("dir"), "in");
    EXPECT_EQ(records[1].at("bytes"), "EHLO x\r\n");
    EXPECT_EQ(records[2].at("type"), "command");
    EXPECT_EQ(records[4].at("detail"), "closed");
    ApiResponse jsonl = call(Method::get, "/api/v1/sessions/00000000000000AA/transcript?format=jsonl");
    EXPECT_EQ(jsonl.content_type, "application/x-ndjson");
    EXPECT_EQ(std::count(jsonl.body.begin(), jsonl.body.end(), '\n'), 5);
    EXPECT_EQ(code(call(Method::get, "/api/v1/sessions/00000000000000AA/transcript?format=xml")), "bad_query");

    EXPECT_EQ(call(Method::post, "/api/v1/reset").status, 200);
    EXPECT_EQ(rt.resets, 1);
    EXPECT_EQ(body(call(Method::get, "/api/v1/sessions")).at("count"), 0);
    EXPECT_EQ(call(Method::get, "/api/v1/sessions/00000000000000AA").status, 404);
}

TEST_F(RoutesTest, Scenarios) {
    EXPECT_EQ(call(Method::get, "/api/v1/scenarios/armed").status, 404);
    ApiResponse bad = call(Method::post, "/api/v1/scenarios", R"({"title": "no id"})");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(code(bad), "invalid_scenario");
    EXPECT_EQ(body(bad).at("error").at("message"), "request body: id: required key is missing");
    EXPECT_EQ(code(call(Method::post, "/api/v1/scenarios", R"({"id": )")), "bad_json");
    ApiResponse ok = call(Method::post, "/api/v1/scenarios", R"({"id": "cc-01", "title": "strip"})");
    ASSERT_EQ(ok.status, 201) << ok.body;
    EXPECT_EQ(body(ok).at("armed"), "cc-01");
    json::value armed = body(call(Method::get, "/api/v1/scenarios/armed"));
    EXPECT_EQ(armed.at("id"), "cc-01");
    EXPECT_EQ(armed.at("connections"), 2);
    EXPECT_EQ(armed.at("findings").at("verdict"), "pass");
    EXPECT_EQ(body(call(Method::delete_, "/api/v1/scenarios/armed")).at("cleared"), "cc-01");
    EXPECT_EQ(call(Method::delete_, "/api/v1/scenarios/armed").status, 404);
}

TEST_F(RoutesTest, MissingServicesAre409NotCrashes) {
    ControlServices bare;
    bare.store = &store;
    bare.registry = &registry;
    RouteContext c(std::move(bare));
    Router r = make_router(c);
    for (auto [m, path] : std::vector<std::pair<Method, std::string>>{
             {Method::get, "/api/v1/tenants"}, {Method::get, "/api/v1/clock"}, {Method::get, "/api/v1/config"},
             {Method::get, "/api/v1/scenarios/armed"}}) {
        ApiRequest req;
        req.method = m;
        req.path = path;
        EXPECT_EQ(r.dispatch(req).status, 409) << path;
    }
}

TEST_F(RoutesTest, EventsWithoutUpgradeIs426AndMetricsIsText) {
    EXPECT_EQ(call(Method::get, "/api/v1/events").status, 426);
    ApiResponse m = call(Method::get, "/metrics");
    EXPECT_EQ(m.content_type, "text/plain; version=0.0.4; charset=utf-8");
    EXPECT_NE(m.body.find("# TYPE exosim_sessions_total counter"), std::string::npos);
}

}  // namespace
}  // namespace exosim::control
