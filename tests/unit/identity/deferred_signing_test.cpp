// Token responses are signed outside the service's lock (Ctx::to_sign): every token in the body is
// complete and signed by the key its header names, also while other threads ask for tokens and the
// signing key rotates.
#include <atomic>
#include <thread>

#include "identity/support/service_fixture.hpp"

namespace exosim::identity::testing {
namespace {

using DeferredSigning = ServiceFixture;

// True when `jwt` is signed by the key its header names (retired keys count within their grace).
bool signed_by_its_kid(const Crypto& crypto, std::string_view jwt, std::chrono::system_clock::time_point now) {
    const auto p = parse_jwt(jwt);
    return p.jwt && crypto.verify_rs256(string_claim(p.jwt->header, "kid"), p.jwt->signing_input, p.jwt->signature, now);
}

TEST_F(DeferredSigning, EveryTokenOfAResponseIsSignedAndNoPlaceholderRemains) {
    const HttpResponse r = ropc("printer@contoso.com", "Printer-Pass-1");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.body.find('~'), std::string::npos) << r.body;
    const auto o = body(r);
    EXPECT_TRUE(signed_by_its_kid(crypto, str(o, "access_token"), clock->now()));
    EXPECT_TRUE(signed_by_its_kid(crypto, str(o, "id_token"), clock->now()));
    // And the submission endpoint takes the access token.
    EXPECT_TRUE(service->smtp_verifier()->check(str(o, "access_token"), "printer@contoso.com", *clock).ok());
}

TEST_F(DeferredSigning, ConcurrentGrantsDuringKeyRotationAreSignedByTheKidTheyName) {
    constexpr int threads = 4, grants = 15;
    std::atomic<int> bad{0}, ok{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&] {
            for (int i = 0; i < grants; ++i) {
                const HttpResponse r = ropc("printer@contoso.com", "Printer-Pass-1");
                const auto o = json::parse(r.body).as_object();
                const bool good = r.status == 200 && r.body.find('~') == std::string::npos &&
                                  signed_by_its_kid(crypto, str(o, "access_token"), clock->now()) &&
                                  signed_by_its_kid(crypto, str(o, "id_token"), clock->now());
                (good ? ok : bad)++;
            }
        });
    }
    for (int i = 0; i < 5; ++i) service->rotate_signing_key(std::chrono::hours(1));
    for (auto& w : workers) w.join();
    EXPECT_EQ(bad.load(), 0);
    EXPECT_EQ(ok.load(), threads * grants);
    EXPECT_EQ(log.records.size(), static_cast<std::size_t>(threads * grants));  // one durable record per grant
}

}  // namespace
}  // namespace exosim::identity::testing
