// ExchangeRuntime: the attached sign-in service's tokens, the clock, copy-on-write patches and scenario overrides.
#include "app/exchange_runtime.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include "support/test_identity.hpp"

namespace exosim::app {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

class Runtime : public ::testing::Test {
protected:
    void SetUp() override {
        config = load_config(std::nullopt);
        config.clock = ClockMode::virtual_clock;
    }

    AppConfig config;
};

void attach(ExchangeRuntime& rt, test::TestIdentity& identity) {
    rt.attach_tokens(identity.verifier(), [&identity](const std::string& user, std::chrono::seconds ttl,
                                                      const std::string& audience) {
        return identity.mint(user, ttl, audience);
    });
}

std::string error_of(auto&& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "(no error)";
}

// Tokens are the sign-in service's (attached as IdentityRuntime attaches it); before that XOAUTH2
// refuses every token and nothing can be minted.
TEST_F(Runtime, TokensComeFromTheAttachedSignInService) {
    ExchangeRuntime rt(config);
    EXPECT_EQ(rt.environment()->tokens, nullptr);
    EXPECT_THROW(rt.mint_token("printer@contoso.com", 3600s), std::logic_error);
    const auto before = rt.environment();
    test::TestIdentity identity(rt.clock(), before->directory);
    attach(rt, identity);
    EXPECT_EQ(before->tokens, nullptr);  // sessions already running keep what they started with
    const std::string token = rt.mint_token("printer@contoso.com", 3600s);
    auto env = rt.environment();
    EXPECT_EQ(env->tokens->verify(token, "printer@contoso.com", *env->clock), policy::TokenStatus::ok);
    EXPECT_EQ(env->tokens->verify(token, "alice@contoso.com", *env->clock), policy::TokenStatus::wrong_user);
    const std::string other_audience = rt.mint_token("printer@contoso.com", 3600s, "https://example.net");
    EXPECT_EQ(env->tokens->verify(other_audience, "printer@contoso.com", *env->clock),
              policy::TokenStatus::wrong_audience);
    EXPECT_THROW(rt.mint_token("printer", 60s), std::invalid_argument);
    EXPECT_THROW(rt.mint_token("printer@contoso.com", 0s), std::invalid_argument);
    EXPECT_THROW(rt.mint_token("nobody@contoso.com", 60s), std::invalid_argument);  // not in the directory
}

TEST_F(Runtime, VirtualClockAdvancesAndExpiresTokens) {
    ExchangeRuntime rt(config);
    EXPECT_TRUE(rt.virtual_clock());
    test::TestIdentity identity(rt.clock(), rt.environment()->directory);
    attach(rt, identity);
    const std::string token = rt.mint_token("printer@contoso.com", 60s);
    const auto t0 = rt.now();
    rt.advance_clock(61s + 300s);  // past exp and Exchange's 5-minute skew
    EXPECT_EQ(rt.now() - t0, 361s);
    auto env = rt.environment();
    EXPECT_EQ(env->tokens->verify(token, "printer@contoso.com", *env->clock), policy::TokenStatus::expired);
    rt.reset();  // a fresh clock: the offset is gone
    EXPECT_LT(rt.now() - t0, 361s);

    config.clock = ClockMode::real;
    ExchangeRuntime real(config);
    EXPECT_FALSE(real.virtual_clock());
    EXPECT_THROW(real.advance_clock(1s), std::logic_error);
}

TEST_F(Runtime, PatchIsCopyOnWriteAndOnlyNewSessionsSeeIt) {
    ExchangeRuntime rt(config);
    auto before = rt.environment();
    rt.patch_tenant("contoso.com", json::parse(R"({"settings": {"reject_direct_send": true, "recipients_per_message": 10},
        "mailboxes": {"scanner@contoso.com": {"smtp_auth": "enabled", "send_as": ["alice@contoso.com"]}}})"));
    auto after = rt.environment();
    EXPECT_FALSE(before->directory->tenants[0].settings.reject_direct_send);
    EXPECT_TRUE(after->directory->tenants[0].settings.reject_direct_send);
    EXPECT_EQ(after->directory->tenants[0].settings.recipients_per_message, 10u);
    const auto* scanner = after->directory->find_mailbox("scanner@contoso.com");
    EXPECT_EQ(scanner->smtp_auth, policy::SmtpAuthSetting::enabled);
    EXPECT_EQ(scanner->send_as, std::vector<std::string>{"alice@contoso.com"});
    EXPECT_EQ(before->submission, after->submission);  // throttles are shared across snapshots
}

TEST_F(Runtime, BadPatchesAreClearErrorsAndChangeNothing) {
    ExchangeRuntime rt(config);
    auto before = rt.environment();
    EXPECT_EQ(error_of([&] { rt.patch_tenant("contoso.com", json::parse(R"({"setings": {}})")); }),
              "unknown tenant patch key 'setings' (known: settings, mailboxes)");
    EXPECT_EQ(error_of([&] { rt.patch_tenant("nowhere.example", json::parse("{}")); }),
              "no tenant named or accepting 'nowhere.example'");
    EXPECT_EQ(error_of([&] {
                  rt.patch_tenant("contoso.com", json::parse(R"({"mailboxes": {"zed@contoso.com": {"locked": true}}})"));
              }),
              "no mailbox zed@contoso.com in contoso.com");
    EXPECT_NE(error_of([&] {
                  rt.patch_tenant("contoso.com", json::parse(R"({"settings": {"reject_direct_send": true, "nope": 1}})"));
              }).find("unknown tenant setting 'nope'"),
              std::string::npos);
    EXPECT_EQ(rt.environment(), before);
}

TEST_F(Runtime, ScenarioOverridesApplyOnTopAndReset) {
    ExchangeRuntime rt(config);
    rt.apply_overrides({{"smtp_auth_disabled", "true"},
                        {"mailbox.scanner@contoso.com.smtp_auth", "enabled"},
                        {"tenant.fabrikam.com.smtp_auth_disabled", "false"},
                        {"reply_style", "legacy"},
                        {"recipients_sent_today.printer@contoso.com", "9999"},
                        {"messages_this_minute.printer@contoso.com", "30"}});
    auto env = rt.environment();
    const auto& d = *env->directory;
    EXPECT_TRUE(d.tenants[0].settings.smtp_auth_disabled);
    EXPECT_EQ(d.tenants[0].settings.reply_style, policy::SendAsReplyStyle::legacy);
    EXPECT_FALSE(d.tenants[1].settings.smtp_auth_disabled);
    EXPECT_EQ(d.find_mailbox("scanner@contoso.com")->smtp_auth, policy::SmtpAuthSetting::enabled);
    EXPECT_EQ(env->submission->recipients_in_window("printer@contoso.com", rt.now()), 9999u);
    // The 31st message this minute is delayed.
    EXPECT_GT(env->submission->schedule_message("printer@contoso.com", rt.now()), rt.now());

    rt.reset_overrides();
    env = rt.environment();
    EXPECT_FALSE(env->directory->tenants[0].settings.smtp_auth_disabled);
    EXPECT_TRUE(env->directory->tenants[1].settings.smtp_auth_disabled);
    EXPECT_EQ(env->submission->recipients_in_window("printer@contoso.com", rt.now()), 0u);
}

TEST_F(Runtime, NewOverridesReplaceEarlierOnesAndPatchesStayUnderneath) {
    ExchangeRuntime rt(config);
    rt.apply_overrides({{"recipients_sent_today.printer@contoso.com", "10"}, {"security_defaults", "true"}});
    rt.apply_overrides({{"reject_direct_send", "true"}});
    auto env = rt.environment();
    EXPECT_FALSE(env->directory->tenants[0].settings.security_defaults);
    EXPECT_TRUE(env->directory->tenants[0].settings.reject_direct_send);
    EXPECT_EQ(env->submission->recipients_in_window("printer@contoso.com", rt.now()), 0u);
    // A patch while overrides are in force: both apply; reset_overrides keeps the patch.
    rt.patch_tenant("contoso.com", json::parse(R"({"settings": {"allow_legacy_tls": true}})"));
    env = rt.environment();
    EXPECT_TRUE(env->directory->tenants[0].settings.reject_direct_send);
    EXPECT_TRUE(env->directory->tenants[0].settings.allow_legacy_tls);
    rt.reset_overrides();
    env = rt.environment();
    EXPECT_FALSE(env->directory->tenants[0].settings.reject_direct_send);
    EXPECT_TRUE(env->directory->tenants[0].settings.allow_legacy_tls);
}

TEST_F(Runtime, BadOverridesThrowAndApplyNothing) {
    ExchangeRuntime rt(config);
    auto before = rt.environment();
    EXPECT_NE(error_of([&] { rt.apply_overrides({{"smtp_auth_disabled", "true"}, {"bogus", "1"}}); })
                  .find("unknown tenant setting 'bogus'"),
              std::string::npos);
    EXPECT_EQ(error_of([&] { rt.apply_overrides({{"mailbox.zed@contoso.com.locked", "true"}}); }),
              "no mailbox zed@contoso.com in the directory");
    EXPECT_EQ(error_of([&] { rt.apply_overrides({{"recipients_sent_today.printer@contoso.com", "many"}}); }),
              "recipients_sent_today.printer@contoso.com: 'many' is not a count (0..1000000)");
    EXPECT_EQ(rt.environment(), before);
    EXPECT_EQ(before->submission->recipients_in_window("printer@contoso.com", rt.now()), 0u);
}

TEST_F(Runtime, TenantsJsonOmitsPasswords) {
    ExchangeRuntime rt(config);
    const std::string text = json::serialize(rt.tenants_json());
    EXPECT_EQ(text.find("Printer-Pass-1"), std::string::npos);
    const json::value v = rt.tenants_json();
    const auto& printer = v.at("tenants").at(0).at("mailboxes").at(0);
    EXPECT_EQ(printer.at("address").as_string(), "printer@contoso.com");
    EXPECT_EQ(printer.at("has_password").as_bool(), true);
    EXPECT_EQ(printer.at("smtp_auth").as_string(), "enabled");
    EXPECT_EQ(v.at("blocked_ips").at(0).as_string(), "198.51.100.66/32");
}

}  // namespace
}  // namespace exosim::app
