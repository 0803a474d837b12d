// The device code flow: /devicecode, polling, the device-login pages and control approval.
#include "identity/page_support.hpp"
#include "identity/support/service_fixture.hpp"

namespace exosim::identity::testing {
namespace {

struct DeviceFlowTest : ServiceFixture {
    json::object start_flow(std::string_view client = fleet, std::string_view tenant = "organizations") {
        const auto r = send("POST", "/" + std::string(tenant) + "/oauth2/v2.0/devicecode",
                            form({{"client_id", client}, {"scope", smtp_scope}}));
        EXPECT_EQ(r.status, 200u) << r.body;
        return body(r);
    }
    HttpResponse poll(const json::object& flow, std::string_view client = fleet, std::string_view tenant = "organizations") {
        return token(form({{"grant_type", "urn:ietf:params:oauth:grant-type:device_code"}, {"client_id", client},
                           {"device_code", str(flow, "device_code")}}), tenant);
    }
    HttpResponse page(const std::string& body_text, std::string_view path = "/devicelogin") {
        return send("POST", std::string(path), body_text, "microsoft.com");
    }
};

TEST_F(DeviceFlowTest, DevicecodeResponseShape) {
    const auto o = start_flow();
    const std::string code = str(o, "user_code");
    ASSERT_EQ(code.size(), 8u);
    for (char c : code) EXPECT_NE(settings.user_code_alphabet.find(c), std::string::npos) << code;
    EXPECT_EQ(str(o, "verification_uri"), "https://microsoft.com/devicelogin");
    EXPECT_EQ(o.at("expires_in").as_int64(), 900);
    EXPECT_EQ(o.at("interval").as_int64(), 5);
    EXPECT_EQ(str(o, "message"), "To sign in, use a web browser to open the page https://microsoft.com/devicelogin "
                                 "and enter the code " + code + " to authenticate.");
    EXPECT_FALSE(o.contains("verification_uri_complete"));
}

TEST_F(DeviceFlowTest, VerificationUriIsASetting) {
    settings.verification_uri = "https://www.microsoft.com/link";
    start();
    EXPECT_EQ(str(start_flow(), "verification_uri"), "https://www.microsoft.com/link");
}

TEST_F(DeviceFlowTest, AppMustAllowDeviceCode) {
    const auto r = send("POST", "/contoso.com/oauth2/v2.0/devicecode",
                        form({{"client_id", daemon}, {"scope", smtp_scope}}));
    EXPECT_EQ(code(r), 70001);
    EXPECT_EQ(code(send("POST", "/contoso.com/oauth2/v2.0/devicecode", form({{"scope", smtp_scope}}))), 900144);
    EXPECT_EQ(code(send("POST", "/contoso.com/oauth2/v2.0/devicecode", form({{"client_id", fleet}}))), 900144);
}

TEST_F(DeviceFlowTest, PendingThenApprovedThenRedeemedOnce) {
    const auto flow = start_flow();
    const auto pending = poll(flow);
    EXPECT_EQ(str(body(pending), "error"), "authorization_pending");
    EXPECT_EQ(code(pending), 70016);
    ASSERT_EQ(service->pending_device_codes().size(), 1u);
    EXPECT_EQ(service->pending_device_codes()[0].app_name, "Contoso Print Fleet");
    ASSERT_EQ(service->approve_device_code(str(flow, "user_code"), "printer@contoso.com"), ControlStatus::ok);
    const auto ok = poll(flow);
    ASSERT_EQ(ok.status, 200u) << ok.body;
    EXPECT_EQ(str(claims(str(body(ok), "access_token")), "upn"), "printer@contoso.com");
    EXPECT_TRUE(body(ok).contains("refresh_token"));
    EXPECT_EQ(str(body(poll(flow)), "error"), "bad_verification_code");
    EXPECT_TRUE(service->pending_device_codes().empty());
}

TEST_F(DeviceFlowTest, DeclinedExpiredAndUnknown) {
    const auto a = start_flow();
    service->decline_device_code(str(a, "user_code"));
    EXPECT_EQ(str(body(poll(a)), "error"), "authorization_declined");
    const auto b = start_flow();
    service->expire_device_code(str(b, "user_code"));
    EXPECT_EQ(str(body(poll(b)), "error"), "expired_token");
    EXPECT_EQ(code(poll(b)), 70020);
    json::object fake{{"device_code", "DAQABAAEAAAD-unknown"}};
    EXPECT_EQ(str(body(poll(fake)), "error"), "bad_verification_code");
    const auto c = start_flow();
    EXPECT_EQ(str(body(poll(c, vendor)), "error"), "bad_verification_code");  // another client
}

TEST_F(DeviceFlowTest, ExpiresAfterFifteenMinutesOnTheServiceClock) {
    const auto a = start_flow();
    clock->advance(std::chrono::seconds(899));
    EXPECT_EQ(code(poll(a)), 70016);
    clock->advance(std::chrono::seconds(1));
    EXPECT_EQ(code(poll(a)), 70020);
}

TEST_F(DeviceFlowTest, SlowDownOnlyWhenEnabled) {
    const auto a = start_flow();
    EXPECT_EQ(code(poll(a)), 70016);
    EXPECT_EQ(code(poll(a)), 70016);  // off by default
    settings.slow_down = true;
    start();
    const auto b = start_flow();
    EXPECT_EQ(code(poll(b)), 70016);
    clock->advance(std::chrono::seconds(4));
    const auto fast = poll(b);
    EXPECT_EQ(str(body(fast), "error"), "slow_down");
    EXPECT_EQ(code(fast), 50196);
    clock->advance(std::chrono::seconds(5));
    EXPECT_EQ(code(poll(b)), 70016);
}

TEST_F(DeviceFlowTest, AutoApproveAfterDelay) {
    settings.auto_approve = AutoApprove{"printer@contoso.com", std::chrono::seconds(10)};
    start();
    const auto a = start_flow();
    clock->advance(std::chrono::seconds(9));
    EXPECT_EQ(code(poll(a)), 70016);
    clock->advance(std::chrono::seconds(1));
    EXPECT_EQ(poll(a).status, 200u);
}

TEST_F(DeviceFlowTest, ConsentMissingInTheTenantFailsThePoll) {
    const auto a = start_flow(vendor, "organizations");
    service->approve_device_code(str(a, "user_code"), "device@fabrikam.com");
    const auto r = poll(a, vendor);
    EXPECT_EQ(code(r), 65001);
}

TEST_F(DeviceFlowTest, PagesEndToEnd) {
    const auto flow = start_flow();
    const auto p1 = send("GET", "/devicelogin", {}, "microsoft.com");
    ASSERT_EQ(p1.status, 200u);
    EXPECT_NE(p1.body.find("Enter code"), std::string::npos);
    EXPECT_EQ(p1.body.find("<script"), std::string::npos);
    const auto p2 = page(page_form(p1.body, {{"otc", str(flow, "user_code")}}));
    EXPECT_NE(p2.body.find("name=\"login\""), std::string::npos) << p2.body;
    const auto p3 = page(page_form(p2.body, {{"login", "printer@contoso.com"}}));
    EXPECT_NE(p3.body.find("type=\"password\""), std::string::npos) << p3.body;
    const auto bad = page(page_form(p3.body, {{"passwd", "nope"}}));
    EXPECT_NE(bad.body.find("Your account or password is incorrect."), std::string::npos);
    const auto p4 = page(page_form(bad.body, {{"passwd", "Printer-Pass-1"}}));
    EXPECT_NE(p4.body.find("Are you trying to sign in to Contoso Print Fleet?"), std::string::npos) << p4.body;
    EXPECT_EQ(code(poll(flow)), 70016);
    const auto p5 = page(page_form(p4.body, {{"action", "continue"}}));
    EXPECT_NE(p5.body.find("You have signed in to the Contoso Print Fleet application on your device. You may now "
                           "close this window."), std::string::npos) << p5.body;
    const auto ok = poll(flow);
    ASSERT_EQ(ok.status, 200u) << ok.body;
    EXPECT_EQ(str(claims(str(body(ok), "access_token")), "upn"), "printer@contoso.com");
}

TEST_F(DeviceFlowTest, PagesWithMfaAndCancelOnTheLinkPage) {
    const auto flow = start_flow();
    auto p = send("GET", "/link", {}, "www.microsoft.com");
    p = page(page_form(p.body, {{"otc", str(flow, "user_code")}}), "/link");
    p = page(page_form(p.body, {{"login", "mfa@contoso.com"}}), "/link");
    p = page(page_form(p.body, {{"passwd", "Mfa-Pass-1"}}), "/link");
    EXPECT_NE(p.body.find("authenticator"), std::string::npos) << p.body;
    ASSERT_EQ(service->mfa_code("mfa@contoso.com"), "123456");
    EXPECT_EQ(service->mfa_code("printer@contoso.com"), std::nullopt);
    p = page(page_form(p.body, {{"otc", "000000"}}), "/link");
    EXPECT_NE(p.body.find("That code didn"), std::string::npos);
    p = page(page_form(p.body, {{"otc", "123456"}}), "/link");
    EXPECT_NE(p.body.find("Are you trying to sign in to"), std::string::npos);
    page(page_form(p.body, {{"action", "cancel"}}), "/link");
    EXPECT_EQ(str(body(poll(flow)), "error"), "authorization_declined");
}

TEST_F(DeviceFlowTest, WrongCodeBlockedUserAndAntiForgery) {
    const auto p1 = send("GET", "/devicelogin", {}, "microsoft.com");
    const auto wrong = page(page_form(p1.body, {{"otc", "ZZZZZZZZ"}}));
    EXPECT_NE(wrong.body.find("That code didn"), std::string::npos);
    const auto forged = page("flow=" + hidden_value(p1.body, "flow") + "&canary=forged&otc=X");
    EXPECT_EQ(forged.status, 400u);
    EXPECT_EQ(page("otc=X").status, 400u);
    EXPECT_FALSE(events.back().ok);
    // A device-login flow cannot be driven through the sign-in host's /signin.
    EXPECT_EQ(send("POST", "/signin", page_form(p1.body, {{"otc", "X"}})).status, 400u);
    const auto flow = start_flow();
    auto p = page(page_form(p1.body, {{"otc", str(flow, "user_code")}}));
    p = page(page_form(p.body, {{"login", "blocked@contoso.com"}}));
    p = page(page_form(p.body, {{"passwd", "Blocked-Pass-1"}}));
    EXPECT_EQ(p.status, 400u);
    EXPECT_NE(p.body.find("AADSTS53003"), std::string::npos);
}

TEST_F(DeviceFlowTest, V1DevicecodeTakesResourceAndPollsWithCode) {
    const auto r = send("POST", "/contoso.com/oauth2/devicecode",
                        form({{"client_id", fleet}, {"resource", "https://outlook.office.com"}}));
    ASSERT_EQ(r.status, 200u) << r.body;
    const auto o = body(r);
    service->approve_device_code(str(o, "user_code"), "printer@contoso.com");
    const auto t = send("POST", "/contoso.com/oauth2/token",
                        form({{"grant_type", "device_code"}, {"client_id", fleet}, {"code", str(o, "device_code")},
                              {"resource", "https://outlook.office.com"}}));
    ASSERT_EQ(t.status, 200u) << t.body;
    EXPECT_EQ(str(claims(str(body(t), "access_token")), "scp"), "SMTP.Send");
    EXPECT_EQ(str(body(t), "resource"), "https://outlook.office.com");
}

TEST_F(DeviceFlowTest, UserCodesAcceptLowerCaseAndDashes) {
    const auto o = start_flow();
    std::string code = str(o, "user_code");
    for (char& c : code) c = static_cast<char>(c - 'A' + 'a');
    EXPECT_EQ(service->approve_device_code(code.substr(0, 4) + "-" + code.substr(4), "printer@contoso.com"),
              ControlStatus::ok);
    EXPECT_EQ(service->approve_device_code("NOPE", "printer@contoso.com"), ControlStatus::not_found);
    const auto o2 = start_flow();
    EXPECT_EQ(service->approve_device_code(str(o2, "user_code"), "nobody@contoso.com"), ControlStatus::unknown_user);
}

TEST_F(DeviceFlowTest, UnknownHostsAndPaths) {
    EXPECT_EQ(send("GET", "/devicelogin", {}, "evil.example").status, 404u);
    EXPECT_EQ(send("GET", "/nothing", {}, "microsoft.com").status, 404u);
    EXPECT_EQ(send("GET", "/contoso.com/nothing").status, 404u);
    EXPECT_EQ(send("GET", "/common/discovery/v2.0/keys", {}, login_host, {{"Host", "evil.example"}}).status, 400u);
    EXPECT_EQ(send("GET", "/common/discovery/v2.0/keys", {}, "LOGIN.microsoftonline.com:443").status, 200u);
}

}  // namespace
}  // namespace exosim::identity::testing
