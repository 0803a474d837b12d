// /authorize and the sign-in pages: PKCE, redirect checks, response modes, escaping, consent.
#include "identity/page_support.hpp"
#include "identity/support/service_fixture.hpp"

namespace exosim::identity::testing {
namespace {

// BASE64URL(SHA256(verifier)) (RFC 7636 4.2), computed independently with Python's hashlib.
constexpr std::string_view verifier = "dBjftJeZ4CVP-mJ92K9qDbT7U9ad-Dx9ud8E5qjkNe8";
constexpr std::string_view challenge = "SR2hTmyxT8kBsnTYfTofwaR2d_747Z5BLFaGFan3U0Q";
constexpr std::string_view native = "https://login.microsoftonline.com/common/oauth2/nativeclient";

struct Authorize : ServiceFixture {
    HttpResponse authorize(std::initializer_list<std::pair<std::string_view, std::string_view>> extra,
                           std::string_view redirect = native) {
        std::string q = form({{"client_id", fleet}, {"response_type", "code"}, {"redirect_uri", redirect},
                              {"scope", smtp_scope}});
        for (const auto& [k, v] : extra) q += "&" + percent_encode(k) + "=" + percent_encode(v);
        return send("GET", "/organizations/oauth2/v2.0/authorize?" + q);
    }
    HttpResponse post(const std::string& b) { return send("POST", "/signin", b); }
    // Signs in through the pages; returns the last response (the redirect).
    HttpResponse sign_in(const HttpResponse& first, std::string_view user, std::string_view password) {
        auto p = post(page_form(first.body, {{"login", user}}));
        return post(page_form(p.body, {{"passwd", password}}));
    }
    static std::string param(std::string_view uri, std::string_view name) {
        const std::size_t q = uri.find_first_of("?#");
        const FormResult f = decode_form(uri.substr(q + 1));
        return std::string(f.params.get(name));
    }
    HttpResponse redeem(std::string_view code, std::string_view v = verifier, std::string_view redirect = native,
                        std::string_view client = fleet) {
        return token(form({{"grant_type", "authorization_code"}, {"client_id", client}, {"code", code},
                           {"redirect_uri", redirect}, {"code_verifier", v}, {"scope", smtp_scope}}), "organizations");
    }
};

TEST_F(Authorize, CodeWithPkceS256EndToEnd) {
    const auto p1 = authorize({{"state", "st-1"}, {"nonce", "n-1"}, {"code_challenge", challenge},
                               {"code_challenge_method", "S256"}});
    ASSERT_EQ(p1.status, 200u) << p1.body;
    const auto r = sign_in(p1, "printer@contoso.com", "Printer-Pass-1");
    ASSERT_EQ(r.status, 302u) << r.body;
    const std::string loc = header(r, "Location");
    EXPECT_TRUE(loc.starts_with(std::string(native) + "?code=")) << loc;
    EXPECT_EQ(param(loc, "state"), "st-1");
    const std::string the_code = param(loc, "code");
    const auto t = redeem(the_code);
    ASSERT_EQ(t.status, 200u) << t.body;
    const auto o = body(t);
    EXPECT_EQ(str(claims(str(o, "access_token")), "upn"), "printer@contoso.com");
    EXPECT_EQ(str(claims(str(o, "id_token")), "nonce"), "n-1");
    EXPECT_TRUE(o.contains("refresh_token"));
    EXPECT_EQ(code(redeem(the_code)), 54005);
}

TEST_F(Authorize, PkceMismatchAndPlain) {
    auto p = authorize({{"code_challenge", challenge}, {"code_challenge_method", "S256"}});
    auto c = param(header(sign_in(p, "printer@contoso.com", "Printer-Pass-1"), "Location"), "code");
    EXPECT_EQ(code(redeem(c, "wrong-verifier-wrong-verifier-wrong-verifier")), 501481);
    p = authorize({{"code_challenge", "plain-verifier-plain-verifier-plain-verifier"}});
    c = param(header(sign_in(p, "printer@contoso.com", "Printer-Pass-1"), "Location"), "code");
    EXPECT_EQ(redeem(c, "plain-verifier-plain-verifier-plain-verifier").status, 200u);
}

TEST_F(Authorize, CodeChecksAtTheTokenEndpoint) {
    auto p = authorize({});
    const auto c = param(header(sign_in(p, "printer@contoso.com", "Printer-Pass-1"), "Location"), "code");
    EXPECT_EQ(code(redeem(c, verifier, native, vendor)), 70000);  // another client
    EXPECT_EQ(code(redeem(c, verifier, "http://localhost:9999")), 50011);
    EXPECT_EQ(code(redeem("1.Aunknown")), 70000);
    clock->advance(std::chrono::seconds(601));
    EXPECT_EQ(code(redeem(c)), 70008);
}

TEST_F(Authorize, CodeLifetimeAtNMinusOneNAndNPlusOne) {
    std::vector<std::string> codes;
    for (int i = 0; i < 3; ++i) {
        auto p = authorize({});
        codes.push_back(param(header(sign_in(p, "printer@contoso.com", "Printer-Pass-1"), "Location"), "code"));
    }
    clock->advance(std::chrono::seconds(599));
    EXPECT_EQ(redeem(codes[0]).status, 200u);
    clock->advance(std::chrono::seconds(1));
    EXPECT_EQ(redeem(codes[1]).status, 200u);
    clock->advance(std::chrono::seconds(1));
    EXPECT_EQ(code(redeem(codes[2])), 70008);
}

TEST_F(Authorize, RedirectUriMustBeRegisteredAndErrorsStayOnAPage) {
    const auto bad = authorize({{"state", "x"}}, "https://evil.example/cb");
    EXPECT_EQ(bad.status, 400u);
    EXPECT_EQ(header(bad, "Location"), "");
    EXPECT_NE(bad.body.find("AADSTS50011"), std::string::npos);
    EXPECT_EQ(authorize({}, "http://localhost:8400").status, 200u);
    EXPECT_EQ(authorize({}, "http://localhost:8400/").status, 200u);
    EXPECT_EQ(authorize({}, "http://localhost").status, 200u);
    EXPECT_EQ(authorize({}, "http://localhost:8400/other").status, 400u);
    EXPECT_EQ(authorize({}, "http://localhost.evil.example").status, 400u);
    const auto unknown = send("GET", "/common/oauth2/v2.0/authorize?client_id=11111111-1111-4111-8111-111111111111");
    EXPECT_EQ(unknown.status, 400u);
    EXPECT_NE(unknown.body.find("AADSTS700016"), std::string::npos);
}

TEST_F(Authorize, ErrorsAfterTheRedirectIsKnownGoOnTheRedirect) {
    const auto none = authorize({{"prompt", "none"}, {"state", "s"}});
    ASSERT_EQ(none.status, 302u);
    EXPECT_EQ(param(header(none, "Location"), "error"), "login_required");
    EXPECT_EQ(param(header(none, "Location"), "state"), "s");
    std::string q = form({{"client_id", fleet}, {"response_type", "token"}, {"redirect_uri", native}, {"state", "s"}});
    const auto rt = send("GET", "/common/oauth2/v2.0/authorize?" + q);
    EXPECT_EQ(param(header(rt, "Location"), "error"), "unsupported_response_type");
    const auto blocked = sign_in(authorize({{"state", "s2"}}), "blocked@contoso.com", "Blocked-Pass-1");
    EXPECT_EQ(param(header(blocked, "Location"), "error"), "interaction_required");
    EXPECT_NE(param(header(blocked, "Location"), "error_description").find("AADSTS53003"), std::string::npos);
}

TEST_F(Authorize, ResponseModes) {
    auto frag = sign_in(authorize({{"response_mode", "fragment"}, {"state", "f"}}), "printer@contoso.com", "Printer-Pass-1");
    EXPECT_TRUE(header(frag, "Location").starts_with(std::string(native) + "#code="));
    auto fp = sign_in(authorize({{"response_mode", "form_post"}, {"state", "<b>"}}), "printer@contoso.com",
                      "Printer-Pass-1");
    EXPECT_EQ(fp.status, 200u);
    EXPECT_NE(fp.body.find("action=\"" + std::string(native) + "\""), std::string::npos);
    EXPECT_NE(fp.body.find("name=\"code\""), std::string::npos);
    EXPECT_NE(fp.body.find("value=\"&lt;b&gt;\""), std::string::npos);
    EXPECT_NE(fp.body.find(">Continue</button>"), std::string::npos);
    EXPECT_EQ(fp.body.find("<script"), std::string::npos);
}

TEST_F(Authorize, EchoedValuesAreEscaped) {
    const auto p = authorize({{"login_hint", "<script>alert(1)</script>"}, {"state", "<script>"}});
    EXPECT_EQ(p.body.find("<script>"), std::string::npos);
    EXPECT_NE(p.body.find("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\""), std::string::npos);
    const auto fp = authorize({{"response_mode", "form_post"}, {"state", "\"><script>x</script>"}, {"prompt", "none"}});
    EXPECT_EQ(fp.body.find("<script>"), std::string::npos);
    EXPECT_NE(fp.body.find("&quot;&gt;&lt;script&gt;"), std::string::npos);
}

TEST_F(Authorize, MfaStep) {
    auto p = authorize({});
    p = sign_in(p, "mfa@contoso.com", "Mfa-Pass-1");
    EXPECT_NE(p.body.find("authenticator"), std::string::npos);
    p = post(page_form(p.body, {{"otc", "123456"}}));
    EXPECT_EQ(p.status, 302u);
    EXPECT_FALSE(param(header(p, "Location"), "code").empty());
}

TEST_F(Authorize, ConsentPageRecordsTheUsersGrant) {
    service->set_consent(fleet, "contoso.com", false);
    auto p = sign_in(authorize({}), "printer@contoso.com", "Printer-Pass-1");
    EXPECT_NE(p.body.find("Permissions requested"), std::string::npos) << p.body;
    const auto declined = post(page_form(p.body, {{"action", "cancel"}}));
    EXPECT_EQ(param(header(declined, "Location"), "error"), "access_denied");
    p = sign_in(authorize({}), "printer@contoso.com", "Printer-Pass-1");
    p = post(page_form(p.body, {{"action", "accept"}}));
    ASSERT_EQ(p.status, 302u);
    // The grant is recorded: ROPC for the same user now passes the consent check.
    EXPECT_EQ(ropc("printer@contoso.com", "Printer-Pass-1").status, 200u);
    EXPECT_EQ(code(ropc("app@contoso.com", "App-Pass-1")), 65001);
}

TEST_F(Authorize, AntiForgery) {
    const auto p = authorize({});
    EXPECT_EQ(post("flow=" + hidden_value(p.body, "flow") + "&login=printer%40contoso.com").status, 400u);
    EXPECT_EQ(post("flow=" + hidden_value(p.body, "flow") + "&canary=x&login=a").status, 400u);
    EXPECT_EQ(post("flow=nope&canary=" + hidden_value(p.body, "canary")).status, 400u);
    EXPECT_EQ(post(page_form(p.body, {{"login", "printer@contoso.com"}})).status, 200u);
    // Flows expire on the service clock.
    const auto q = authorize({});
    clock->advance(std::chrono::hours(2));
    authorize({});
    EXPECT_EQ(post(page_form(q.body, {{"login", "printer@contoso.com"}})).status, 400u);
}

TEST_F(Authorize, PendingFlowsAreCappedOldestFirst) {
    settings.max_pending_flows = 2;
    start();
    const auto a = authorize({});
    clock->advance(std::chrono::seconds(1));
    const auto b = authorize({});
    clock->advance(std::chrono::seconds(1));
    EXPECT_EQ(post(page_form(a.body, {{"login", "printer@contoso.com"}})).status, 200u);  // n: both kept
    const auto c = authorize({});  // n+1: a is dropped
    EXPECT_EQ(post(page_form(a.body, {{"login", "printer@contoso.com"}})).status, 400u);
    EXPECT_EQ(post(page_form(b.body, {{"login", "printer@contoso.com"}})).status, 200u);
    EXPECT_EQ(post(page_form(c.body, {{"login", "printer@contoso.com"}})).status, 200u);
}

TEST_F(Authorize, AutoApproveSignsInWithoutPages) {
    settings.auto_approve = AutoApprove{"printer@contoso.com", std::chrono::seconds(0)};
    start();
    const auto r = authorize({{"state", "a"}});
    ASSERT_EQ(r.status, 302u);
    EXPECT_EQ(redeem(param(header(r, "Location"), "code")).status, 200u);
}

}  // namespace
}  // namespace exosim::identity::testing
