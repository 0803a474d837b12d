// Refresh tokens: rotation, inactivity, revocation, durability across a restart (reference §6).
#include "identity/support/service_fixture.hpp"

namespace exosim::identity::testing {
namespace {

struct Refresh : ServiceFixture {
    std::string first() { return str(body(ropc("printer@contoso.com", "Printer-Pass-1")), "refresh_token"); }
    HttpResponse refresh(std::string_view rt, std::string_view scope = smtp_scope, std::string_view tenant = "contoso.com") {
        return token(form({{"grant_type", "refresh_token"}, {"client_id", fleet}, {"refresh_token", rt}, {"scope", scope}}),
                     tenant);
    }
};

TEST_F(Refresh, RotatesAndOlderTokensStayValid) {
    const std::string rt1 = first();
    const auto r = refresh(rt1);
    ASSERT_EQ(r.status, 200u) << r.body;
    const std::string rt2 = str(body(r), "refresh_token");
    EXPECT_NE(rt2, rt1);
    EXPECT_EQ(refresh(rt1).status, 200u);
    EXPECT_EQ(refresh(rt2).status, 200u);
    EXPECT_EQ(str(claims(str(body(refresh(rt2)), "access_token")), "upn"), "printer@contoso.com");
}

TEST_F(Refresh, ScopeSubsetAllowedMissingScopeRefused) {
    const std::string rt = first();
    const auto sub = refresh(rt, "https://outlook.office.com/SMTP.Send");
    EXPECT_EQ(sub.status, 200u);
    EXPECT_FALSE(body(sub).contains("refresh_token"));
    EXPECT_EQ(code(token(form({{"grant_type", "refresh_token"}, {"client_id", fleet}, {"refresh_token", rt}}))), 900144);
}

TEST_F(Refresh, UnknownOtherClientOtherTenant) {
    const std::string rt = first();
    EXPECT_EQ(code(refresh("0.Anonsense")), 70000);
    EXPECT_EQ(code(token(form({{"grant_type", "refresh_token"}, {"client_id", vendor}, {"refresh_token", rt},
                               {"scope", smtp_scope}}))), 70000);
    EXPECT_EQ(code(token(form({{"grant_type", "refresh_token"}, {"client_id", vendor}, {"refresh_token", rt},
                               {"scope", smtp_scope}}), "fabrikam.com")), 70000);
    EXPECT_EQ(code(refresh(rt, smtp_scope, "e5b2c6f0-3a4d-4c1e-9f7a-2d8b1c0e4a11")), 0);
}

TEST_F(Refresh, InactivityExpiresAfterNinetyDaysAtNMinusOneNAndNPlusOne) {
    const std::string a = first();
    const std::string b = first();
    const std::string c = first();
    clock->advance(std::chrono::hours(24 * 90) - std::chrono::seconds(1));
    EXPECT_EQ(refresh(a).status, 200u);  // n-1
    clock->advance(std::chrono::seconds(1));
    EXPECT_EQ(refresh(b).status, 200u);  // n: exactly 90 days is still within
    clock->advance(std::chrono::seconds(1));
    const auto r = refresh(c);  // n+1
    EXPECT_EQ(code(r), 700082);
    EXPECT_EQ(str(body(r), "error"), "invalid_grant");
}

TEST_F(Refresh, UseResetsInactivity) {
    const std::string rt = first();
    clock->advance(std::chrono::hours(24 * 80));
    ASSERT_EQ(refresh(rt).status, 200u);
    clock->advance(std::chrono::hours(24 * 80));
    EXPECT_EQ(refresh(rt).status, 200u);
}

TEST_F(Refresh, PasswordChangeRevokesWith50173) {
    const std::string rt = first();
    SignInChange c;
    c.new_password = "New-Pass-2";
    ASSERT_EQ(service->change_sign_in("printer@contoso.com", c), ControlStatus::ok);
    EXPECT_EQ(code(refresh(rt)), 50173);
    EXPECT_EQ(code(ropc("printer@contoso.com", "Printer-Pass-1")), 50126);
    EXPECT_EQ(ropc("printer@contoso.com", "New-Pass-2").status, 200u);
}

TEST_F(Refresh, RevokePerUserAndAll) {
    const std::string p = first();
    const std::string app = str(body(token(form({{"grant_type", "password"}, {"client_id", fleet},
                                                  {"username", "app@contoso.com"}, {"password", "App-Pass-1"},
                                                  {"scope", smtp_scope}}))), "refresh_token");
    EXPECT_EQ(service->revoke_refresh_tokens("printer@contoso.com"), 1u);
    EXPECT_EQ(code(refresh(p)), 50173);
    EXPECT_EQ(token(form({{"grant_type", "refresh_token"}, {"client_id", fleet}, {"refresh_token", app},
                          {"scope", smtp_scope}})).status, 200u);
    EXPECT_GE(service->revoke_refresh_tokens(""), 1u);
    EXPECT_EQ(code(token(form({{"grant_type", "refresh_token"}, {"client_id", fleet}, {"refresh_token", app},
                               {"scope", smtp_scope}}))), 50173);
}

TEST_F(Refresh, UserStateAppliesOnRefresh) {
    const std::string rt = first();
    SignInChange c;
    c.ca_blocked = true;
    service->change_sign_in("printer@contoso.com", c);
    EXPECT_EQ(code(refresh(rt)), 53003);
    c.ca_blocked = false;
    c.sign_in_frequency = std::chrono::seconds(3600);
    service->change_sign_in("printer@contoso.com", c);
    EXPECT_EQ(refresh(rt).status, 200u);
    clock->advance(std::chrono::seconds(3601));
    const auto r = refresh(rt);
    EXPECT_EQ(code(r), 70043);
    EXPECT_EQ(str(body(r), "suberror"), "token_expired");
}

TEST_F(Refresh, SurvivesARestartOverTheSameLogWhichHoldsNoToken) {
    const std::string rt = first();
    const std::string rotated = str(body(refresh(rt)), "refresh_token");
    for (const auto& record : log.records) {
        EXPECT_EQ(record.find(rt), std::string::npos);
        EXPECT_EQ(record.find(rotated), std::string::npos);
        EXPECT_EQ(record.find('\n'), std::string::npos);
    }
    service.reset();
    start();  // service B over the same log
    EXPECT_EQ(log.rewrites, 2);
    EXPECT_EQ(refresh(rt).status, 200u);
    EXPECT_EQ(refresh(rotated).status, 200u);
    service->revoke_refresh_tokens("printer@contoso.com");
    service.reset();
    start();
    EXPECT_EQ(code(refresh(rt)), 50173);
    EXPECT_EQ(log.records.size(), 4u);  // compacted: one record per grant
}

TEST_F(Refresh, DamagedLogRecordsAreSkipped) {
    const std::string rt = first();
    log.records.push_back("{not json");
    log.records.push_back(R"({"op":"mystery"})");
    service.reset();
    start();
    EXPECT_EQ(refresh(rt).status, 200u);
}

}  // namespace
}  // namespace exosim::identity::testing
