// Refresh tokens are made durable outside the service's lock (group commit across requests), a
// response never leaves before its record is durable, and a failed append answers 500 server_error
// with the token unusable (refresh_tokens.hpp, IdentityService::handle).
#include <condition_variable>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "identity/support/service_fixture.hpp"

namespace exosim::identity::testing {
namespace {

using namespace std::chrono_literals;

// A DurableLog whose append can be held at a gate (to see who is inside at once) or made to throw.
class GateLog final : public DurableLog {
public:
    void append(std::string_view record) override {
        std::unique_lock l(m_);
        if (fail_next_ > 0) {
            --fail_next_;
            failed_.emplace_back(record);
            throw std::runtime_error("fdatasync: Input/output error");
        }
        ++inside_;
        cv_.notify_all();
        cv_.wait(l, [this] { return open_; });
        --inside_;
        records_.emplace_back(record);
    }
    std::vector<std::string> replay() override {
        std::lock_guard l(m_);
        return records_;
    }
    void rewrite(const std::vector<std::string>& r) override {
        std::lock_guard l(m_);
        records_ = r;
    }
    void close_gate() { set_open(false); }
    void open_gate() { set_open(true); }
    void fail_next(int n) {
        std::lock_guard l(m_);
        fail_next_ = n;
    }
    // True once `n` appends wait at the gate together (false after 10 s).
    bool wait_inside(int n) {
        std::unique_lock l(m_);
        return cv_.wait_for(l, 10s, [&] { return inside_ >= n; });
    }
    int inside() {
        std::lock_guard l(m_);
        return inside_;
    }
    std::vector<std::string> records() {
        std::lock_guard l(m_);
        return records_;
    }
    std::vector<std::string> failed() {
        std::lock_guard l(m_);
        return failed_;
    }

private:
    void set_open(bool o) {
        std::lock_guard l(m_);
        open_ = o;
        cv_.notify_all();
    }
    std::mutex m_;
    std::condition_variable cv_;
    bool open_ = true;
    int inside_ = 0;
    int fail_next_ = 0;
    std::vector<std::string> records_, failed_;
};

struct Durability : ServiceFixture {
    GateLog gate;
    std::mutex events_mu;

    void SetUp() override { restart(); }
    void restart() {
        service.reset();
        service = std::make_unique<IdentityService>(default_identity_directory(mail, daemon_cert), clock, crypto, gate,
                                                    settings, [this](const IdentityEvent& e) {
                                                        std::lock_guard l(events_mu);
                                                        events.push_back(e);
                                                    });
    }
    std::string first() { return str(body(ropc("printer@contoso.com", "Printer-Pass-1")), "refresh_token"); }
    HttpResponse refresh(std::string_view rt) {
        return token(form({{"grant_type", "refresh_token"}, {"client_id", fleet}, {"refresh_token", rt},
                           {"scope", smtp_scope}}));
    }
    std::future<HttpResponse> refresh_async(std::string rt) {
        return std::async(std::launch::async, [this, rt] { return refresh(rt); });
    }
    static bool ready(std::future<HttpResponse>& f) { return f.wait_for(0s) == std::future_status::ready; }
};

TEST_F(Durability, TwoRefreshesAreInAppendAtOnceAndNeitherAnswersBeforeItsRecordIsDurable) {
    const std::string rt = first();
    ASSERT_FALSE(rt.empty());
    const std::size_t before = gate.records().size();
    gate.close_gate();
    auto a = refresh_async(rt);
    auto b = refresh_async(rt);
    const bool both_inside = gate.wait_inside(2);
    // While both wait for their fsync, the lock is free: a grant that writes nothing is answered.
    const auto cc = both_inside ? token(form({{"grant_type", "client_credentials"}, {"client_id", daemon},
                                              {"client_secret", "Exosim-Secret-1"},
                                              {"scope", "https://outlook.office365.com/.default"}}))
                                : HttpResponse{};
    const bool a_early = ready(a), b_early = ready(b);
    gate.open_gate();
    const HttpResponse ra = a.get(), rb = b.get();
    ASSERT_TRUE(both_inside) << "the second refresh never reached append: appends are serialized";
    EXPECT_EQ(cc.status, 200u) << cc.body;
    EXPECT_FALSE(a_early) << "a response left before its record was durable";
    EXPECT_FALSE(b_early) << "a response left before its record was durable";
    ASSERT_EQ(ra.status, 200u) << ra.body;
    ASSERT_EQ(rb.status, 200u) << rb.body;
    const std::string ta = str(body(ra), "refresh_token"), tb = str(body(rb), "refresh_token");
    EXPECT_NE(ta, tb);
    // One record per refresh: the new grant carrying the use of the old one.
    const auto recs = gate.records();
    ASSERT_EQ(recs.size(), before + 2);
    for (std::size_t i = before; i < recs.size(); ++i) {
        const auto o = json::parse(recs[i]).as_object();
        EXPECT_EQ(str(o, "op"), "issue");
        EXPECT_FALSE(str(o, "prev").empty());
        EXPECT_EQ(o.at("prev_at").as_int64(), unix_seconds(clock->now()));
    }
    EXPECT_EQ(refresh(ta).status, 200u);
    EXPECT_EQ(refresh(tb).status, 200u);
    // And after a restart over the same log.
    restart();
    EXPECT_EQ(refresh(ta).status, 200u);
    EXPECT_EQ(refresh(tb).status, 200u);
}

TEST_F(Durability, AFailedAppendAnswersServerErrorAndTheTokenItWouldHaveIssuedIsRejected) {
    // A twin over the same seed and clock issues the tokens this service would issue.
    FakeCrypto twin_crypto;
    MemoryLog twin_log;
    IdentityService twin(default_identity_directory(mail, daemon_cert), clock, twin_crypto, twin_log, settings);
    auto twin_send = [&](std::string body) {
        HttpRequest r;
        r.method = "POST";
        r.target = "/contoso.com/oauth2/v2.0/token";
        r.headers = {{"Host", std::string(login_host)}, {"Content-Type", "application/x-www-form-urlencoded"}};
        r.body = std::move(body);
        return twin.handle(r);
    };
    const std::string rt = first();
    const std::string twin_rt = str(body(twin_send(form({{"grant_type", "password"}, {"client_id", fleet},
                                                         {"username", "printer@contoso.com"},
                                                         {"password", "Printer-Pass-1"}, {"scope", smtp_scope}}))),
                                    "refresh_token");
    ASSERT_EQ(rt, twin_rt) << "the twin must draw the same random bytes";
    const auto twin_r = twin_send(form({{"grant_type", "refresh_token"}, {"client_id", fleet}, {"refresh_token", rt},
                                        {"scope", smtp_scope}}));
    ASSERT_EQ(twin_r.status, 200u);
    const std::string would_be = str(body(twin_r), "refresh_token");

    const std::size_t before = gate.records().size();
    gate.fail_next(1);
    const auto r = refresh(rt);
    EXPECT_EQ(r.status, 500u);
    const auto o = body(r);
    EXPECT_EQ(str(o, "error"), "server_error");
    EXPECT_EQ(code(r), 50000);
    EXPECT_EQ(str(o, "error_description").rfind("AADSTS50000: There was an error issuing a token", 0), 0u)
        << str(o, "error_description");
    EXPECT_FALSE(o.contains("refresh_token"));
    EXPECT_FALSE(o.contains("access_token"));
    EXPECT_EQ(header(r, "Content-Type").substr(0, 16), "application/json");
    ASSERT_EQ(gate.failed().size(), 1u);
    EXPECT_EQ(gate.records().size(), before);
    ASSERT_FALSE(events.empty());
    EXPECT_FALSE(events.back().ok);
    EXPECT_EQ(events.back().status, 500u);
    EXPECT_EQ(events.back().aadsts, 50000u);
    // The token the failed response would have carried is unknown; the presented one still works.
    EXPECT_EQ(code(refresh(would_be)), 70000);
    EXPECT_EQ(refresh(rt).status, 200u);
    restart();
    EXPECT_EQ(code(refresh(would_be)), 70000);
}

TEST_F(Durability, AFailedAppendGivesTheDeviceCodeBack) {
    const auto flow = body(send("POST", "/contoso.com/oauth2/v2.0/devicecode",
                                form({{"client_id", fleet}, {"scope", smtp_scope}})));
    ASSERT_EQ(service->approve_device_code(str(flow, "user_code"), "printer@contoso.com"), ControlStatus::ok);
    const auto poll = [&] {
        return token(form({{"grant_type", "urn:ietf:params:oauth:grant-type:device_code"}, {"client_id", fleet},
                           {"device_code", str(flow, "device_code")}}));
    };
    gate.fail_next(1);
    const auto failed = poll();
    EXPECT_EQ(failed.status, 500u);
    EXPECT_EQ(code(failed), 50000);
    clock->advance(5s);
    const auto ok = poll();
    ASSERT_EQ(ok.status, 200u) << ok.body;
    EXPECT_FALSE(str(body(ok), "refresh_token").empty());
    clock->advance(5s);
    EXPECT_EQ(str(body(poll()), "error"), "bad_verification_code");  // redeemed once only
}

TEST_F(Durability, ARevocationWaitsForAnInFlightRefreshSoRestartAgrees) {
    const std::string rt = first();
    gate.close_gate();
    auto a = refresh_async(rt);
    ASSERT_TRUE(gate.wait_inside(1)) << (gate.open_gate(), "the refresh never reached append");
    auto revoke = std::async(std::launch::async, [this] { return service->revoke_refresh_tokens("printer@contoso.com"); });
    const bool revoke_waited = revoke.wait_for(200ms) == std::future_status::timeout;
    gate.open_gate();
    const auto ra = a.get();
    EXPECT_TRUE(revoke_waited) << "the revocation did not wait for the in-flight grant";
    EXPECT_EQ(revoke.get(), 2u);  // the first grant and the one that was in flight
    ASSERT_EQ(ra.status, 200u);
    const std::string rotated = str(body(ra), "refresh_token");
    EXPECT_EQ(code(refresh(rotated)), 50173);
    EXPECT_EQ(code(refresh(rt)), 50173);
    restart();
    EXPECT_EQ(code(refresh(rotated)), 50173);
    EXPECT_EQ(code(refresh(rt)), 50173);
}

TEST_F(Durability, ManyConcurrentRefreshChainsAllStayUsable) {
    constexpr int chains = 6, steps = 15;
    std::vector<std::string> starts;
    for (int i = 0; i < chains; ++i) starts.push_back(first());
    std::vector<std::future<std::string>> runs;
    for (int i = 0; i < chains; ++i) {
        runs.push_back(std::async(std::launch::async, [this, rt = starts[i]]() mutable {
            for (int k = 0; k < steps; ++k) {
                const auto r = refresh(rt);
                if (r.status != 200u) return "status " + std::to_string(r.status) + ": " + r.body;
                rt = str(body(r), "refresh_token");
            }
            return std::string("ok:") + rt;
        }));
    }
    std::vector<std::string> last;
    for (auto& f : runs) {
        const std::string out = f.get();
        ASSERT_EQ(out.rfind("ok:", 0), 0u) << out;
        last.push_back(out.substr(3));
    }
    EXPECT_EQ(gate.records().size(), static_cast<std::size_t>(chains * (steps + 1)));
    restart();
    for (const auto& rt : last) EXPECT_EQ(refresh(rt).status, 200u);
    for (const auto& rt : starts) EXPECT_EQ(refresh(rt).status, 200u);  // older tokens stay valid
}

}  // namespace
}  // namespace exosim::identity::testing
