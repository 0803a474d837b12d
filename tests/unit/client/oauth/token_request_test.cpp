#include "oauth/token_request.hpp"

#include <gtest/gtest.h>

namespace exosim::client::oauth {
namespace {

using std::chrono::seconds;

// The exact bodies on the wire (reference entra-id-oauth.md §3).
TEST(TokenRequest, Bodies) {
    EXPECT_EQ(form_encode(device_code_request("cid", std::string(default_delegated_scope))),
              "client_id=cid&scope=https%3A%2F%2Foutlook.office.com%2FSMTP.Send+offline_access");
    EXPECT_EQ(form_encode(device_token_request("cid", "DC-1")),
              "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&client_id=cid&device_code=DC-1");
    EXPECT_EQ(form_encode(client_credentials_request("cid", std::string(default_app_scope), {"Exosim-Secret-1", ""})),
              "grant_type=client_credentials&client_id=cid&scope=https%3A%2F%2Foutlook.office365.com%2F.default"
              "&client_secret=Exosim-Secret-1");
    EXPECT_EQ(form_encode(client_credentials_request("cid", "s", {"", "h.p.s"})),
              "grant_type=client_credentials&client_id=cid&scope=s&client_assertion_type="
              "urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=h.p.s");
    EXPECT_EQ(form_encode(refresh_request("cid", "s", "0.A+/=", {})),
              "grant_type=refresh_token&client_id=cid&scope=s&refresh_token=0.A%2B%2F%3D");
    EXPECT_EQ(form_encode(auth_code_request("cid", "s", "C", "http://localhost:5000/", "V")),
              "grant_type=authorization_code&client_id=cid&scope=s&code=C&redirect_uri=http%3A%2F%2Flocalhost%3A5000%2F"
              "&code_verifier=V");
    EXPECT_EQ(form_encode(authorize_query("cid", "s", "http://localhost:1/", "st", "ch")),
              "client_id=cid&response_type=code&redirect_uri=http%3A%2F%2Flocalhost%3A1%2F&response_mode=query&scope=s"
              "&state=st&code_challenge=ch&code_challenge_method=S256");
}

TokenError transient(std::optional<std::int64_t> retry_after) {
    TokenError e;
    e.http_status = 503;
    e.kind = ErrorClass::transient;
    e.retry_after = retry_after;
    return e;
}

TEST(TokenRetry, BoundedBackoff) {
    EXPECT_EQ(retry_delay(transient(std::nullopt), 1, false), seconds(1));
    EXPECT_EQ(retry_delay(transient(std::nullopt), 2, false), seconds(2));
    EXPECT_EQ(retry_delay(transient(std::nullopt), 3, false), seconds(4));
    EXPECT_EQ(retry_delay(transient(std::nullopt), max_token_attempts - 1, false), seconds(4));
    EXPECT_EQ(retry_delay(transient(std::nullopt), max_token_attempts, false), std::nullopt);
    EXPECT_EQ(retry_delay(transient(std::nullopt), max_token_attempts + 1, false), std::nullopt);
}

TEST(TokenRetry, HonoursRetryAfter) {
    EXPECT_EQ(retry_delay(transient(30), 1, false), seconds(30));
    EXPECT_EQ(retry_delay(transient(0), 3, false), seconds(4));  // never below our own backoff
    EXPECT_EQ(retry_delay(transient(max_retry_after.count() - 1), 1, false), max_retry_after - seconds(1));
    EXPECT_EQ(retry_delay(transient(max_retry_after.count()), 1, false), max_retry_after);
    EXPECT_EQ(retry_delay(transient(max_retry_after.count() + 1), 1, false), std::nullopt);  // too long: give up
    EXPECT_EQ(retry_delay(transient(30), 1, true), seconds(1));  // --quirk ignore-retry-after
}

TEST(TokenRetry, OnlyTransientErrorsAreRetried) {
    TokenError e = transient(std::nullopt);
    for (ErrorClass k : {ErrorClass::fatal, ErrorClass::sign_in_again, ErrorClass::pending, ErrorClass::declined}) {
        e.kind = k;
        EXPECT_EQ(retry_delay(e, 1, false), std::nullopt);
    }
}

}  // namespace
}  // namespace exosim::client::oauth
